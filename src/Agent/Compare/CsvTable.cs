using System.Globalization;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// A numeric CSV read by column name (monitor.csv, progress.csv, eval.csv). An empty field is a missing value (NaN).
/// A last line without its newline is what a run killed mid-write leaves: it is dropped with a note, never half-read.
/// Anything else malformed (wrong field count, a non-number) throws <see cref="RunDataException"/> naming file and line.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, double[]> _columns;

    private CsvTable(string path, string? commentLine, IReadOnlyList<string> columnNames, Dictionary<string, double[]> columns,
                     int rowCount, IReadOnlyList<string> notes)
    {
        Path = path;
        CommentLine = commentLine;
        ColumnNames = columnNames;
        _columns = columns;
        RowCount = rowCount;
        Notes = notes;
    }

    public string Path { get; }

    /// <summary>The first line when it starts with '#' (SB3 Monitor's JSON header), without the '#'.</summary>
    public string? CommentLine { get; }

    public IReadOnlyList<string> ColumnNames { get; }

    public int RowCount { get; }

    public IReadOnlyList<string> Notes { get; }

    public bool Has(string name) => _columns.ContainsKey(name);

    public double[] Column(string name) =>
        _columns.TryGetValue(name, out double[]? values)
            ? values
            : throw new RunDataException(Path, $"no column '{name}' (columns: {string.Join(",", ColumnNames)})");

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new RunDataException(path, "file not found");
        }

        string text = File.ReadAllText(path);
        var lines = new List<(int Number, string Text)>();
        string[] raw = text.Split('\n');
        // Split leaves an empty last element exactly when the text ends with '\n'.
        bool endsWithNewline = text.EndsWith('\n');
        int usable = endsWithNewline ? raw.Length - 1 : raw.Length;
        var notes = new List<string>();
        for (int i = 0; i < usable; i++)
        {
            string line = raw[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }
            lines.Add((i + 1, line));
        }

        string? comment = null;
        int first = 0;
        if (lines.Count > 0 && lines[0].Text.StartsWith('#'))
        {
            comment = lines[0].Text[1..];
            first = 1;
        }
        if (lines.Count <= first)
        {
            throw new RunDataException(path, "empty file (no header line)");
        }

        string[] header = lines[first].Text.Split(',').Select(h => h.Trim()).ToArray();
        if (!endsWithNewline && lines.Count > first + 1)
        {
            var last = lines[^1];
            notes.Add($"{path}:{last.Number}: last line has no newline (run killed mid-write?); ignored");
            lines.RemoveAt(lines.Count - 1);
        }

        int rows = lines.Count - first - 1;
        var data = new double[header.Length][];
        for (int c = 0; c < header.Length; c++)
        {
            data[c] = new double[rows];
        }
        for (int r = 0; r < rows; r++)
        {
            var (number, line) = lines[first + 1 + r];
            string[] fields = line.Split(',');
            if (fields.Length != header.Length)
            {
                throw new RunDataException(path, $"line {number}: expected {header.Length} fields, found {fields.Length}");
            }
            for (int c = 0; c < header.Length; c++)
            {
                string field = fields[c].Trim();
                if (field.Length == 0)
                {
                    data[c][r] = double.NaN;
                }
                else if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out data[c][r]))
                {
                    throw new RunDataException(path, $"line {number}: column '{header[c]}' is not a number: '{field}'");
                }
            }
        }

        var columns = new Dictionary<string, double[]>(StringComparer.Ordinal);
        for (int c = 0; c < header.Length; c++)
        {
            columns.TryAdd(header[c], data[c]);
        }
        return new CsvTable(path, comment, header, columns, rows, notes);
    }
}
