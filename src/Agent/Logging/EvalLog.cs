namespace DqnStudy.Agent.Logging;

/// <summary>eval.csv: one row per greedy evaluation.</summary>
public sealed class EvalLog : IDisposable
{
    public const string FileName = "eval.csv";
    public const string Header = "steps,return_mean,return_std,return_min,return_max,length_mean,episodes";
    private readonly CsvLog _csv;

    private EvalLog(CsvLog csv) => _csv = csv;

    public long Length => _csv.Length;

    public static EvalLog Create(string folder) => new(CsvLog.Create(Path.Combine(folder, FileName), Header));

    public static EvalLog ReopenAt(string folder, long length) => new(CsvLog.ReopenAt(Path.Combine(folder, FileName), length));

    public void Row(long steps, EvaluationResult result)
    {
        _csv.Add(steps).Add(result.ReturnMean).Add(result.ReturnStd).Add(result.ReturnMin).Add(result.ReturnMax)
            .Add(result.LengthMean).Add(result.Episodes).EndRow();
    }

    public void Dispose() => _csv.Dispose();
}

/// <summary>Returns of one greedy evaluation (population std, as numpy's default).</summary>
public readonly record struct EvaluationResult(double ReturnMean, double ReturnStd, double ReturnMin, double ReturnMax,
                                               double LengthMean, int Episodes);
