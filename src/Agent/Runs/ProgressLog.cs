using DqnStudy.Agent.Logging;

namespace DqnStudy.Agent.Runs;

/// <summary>progress.csv: one row per log interval, columns fixed when the run starts
/// (the trainer's statistics, one gradient norm per layer, then instrument columns).</summary>
public sealed class ProgressLog : IDisposable
{
    private readonly CsvLog _csv;

    private ProgressLog(CsvLog csv, IReadOnlyList<string> columns)
    {
        _csv = csv;
        Columns = columns;
    }

    public IReadOnlyList<string> Columns { get; }
    public long Length => _csv.Length;

    public static ProgressLog Create(string folder, IReadOnlyList<string> columns) =>
        new(CsvLog.Create(RunFolder.PathOf(folder, RunFolder.Progress), string.Join(',', columns)), columns);

    public static ProgressLog ReopenAt(string folder, IReadOnlyList<string> columns, long length)
    {
        string path = RunFolder.PathOf(folder, RunFolder.Progress);
        string header = File.ReadLines(path).FirstOrDefault() ?? "";
        if (header != string.Join(',', columns))
            throw new InvalidDataException($"{path} has columns '{header}' but this run writes '{string.Join(',', columns)}'.");
        return new(CsvLog.ReopenAt(path, length), columns);
    }

    /// <summary>Writes one row; NaN values become empty fields.</summary>
    public void Row(ReadOnlySpan<double> values)
    {
        if (values.Length != Columns.Count)
            throw new ArgumentException($"{nameof(values)} has {values.Length} entries but progress.csv has {Columns.Count} columns.", nameof(values));
        foreach (double value in values) _csv.Add(value);
        _csv.EndRow();
    }

    public void Dispose() => _csv.Dispose();
}
