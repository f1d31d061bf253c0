using DqnStudy.Agent.Logging;

namespace DqnStudy.Agent.Runs;

/// <summary>eval.csv: one row per greedy evaluation.</summary>
public sealed class EvalLog : IDisposable
{
    private readonly CsvLog _csv;

    private EvalLog(CsvLog csv) => _csv = csv;

    public long Length => _csv.Length;

    public static EvalLog Create(string folder) => new(CsvLog.Create(RunFolder.PathOf(folder, RunFolder.Eval), string.Join(',', RunFolder.EvalColumns)));

    public static EvalLog ReopenAt(string folder, long length) => new(CsvLog.ReopenAt(RunFolder.PathOf(folder, RunFolder.Eval), length));

    /// <summary>One row as <see cref="EvaluationResult.WriteRow"/> fills it (whole numbers print without a fraction).</summary>
    public void Row(ReadOnlySpan<double> row)
    {
        foreach (double value in row) _csv.Add(value);
        _csv.EndRow();
    }

    /// <summary>The number of columns of an eval.csv row.</summary>
    public static int Width => RunFolder.EvalColumns.Count;

    /// <summary>The rows of a folder's eval.csv (steps and result), as this class wrote them.</summary>
    public static IEnumerable<(long Step, EvaluationResult Result)> ReadRows(string folder)
    {
        string path = RunFolder.PathOf(folder, RunFolder.Eval);
        if (!File.Exists(path)) yield break;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            string[] f = line.Split(',');
            if (f.Length < Width) continue;
            var c = System.Globalization.CultureInfo.InvariantCulture;
            yield return (long.Parse(f[0], c), new EvaluationResult(double.Parse(f[1], c), double.Parse(f[2], c),
                double.Parse(f[3], c), double.Parse(f[4], c), double.Parse(f[5], c), int.Parse(f[6], c)));
        }
    }

    public void Dispose() => _csv.Dispose();
}

/// <summary>Returns of one greedy evaluation (population std, as numpy's default).</summary>
public readonly record struct EvaluationResult(double ReturnMean, double ReturnStd, double ReturnMin, double ReturnMax,
                                               double LengthMean, int Episodes)
{
    /// <summary>This evaluation's eval.csv row at `step`, in <see cref="RunFolder.EvalColumns"/>' order.</summary>
    public void WriteRow(long step, Span<double> row)
    {
        row[0] = step;
        row[1] = ReturnMean;
        row[2] = ReturnStd;
        row[3] = ReturnMin;
        row[4] = ReturnMax;
        row[5] = LengthMean;
        row[6] = Episodes;
    }
}
