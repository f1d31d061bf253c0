using System.Globalization;
using System.Text.Json;
using CompareOptions = DqnStudy.Agent.Compare.CompareOptions;
using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

/// <summary>compare --export: long-format curves, statistics and pairwise tables as CSV and JSON with the same
/// content, and each group's monitor files as a folder Stable-Baselines3's load_results reads.</summary>
public sealed class CompareExportTests
{
    [Fact]
    public void Export_WritesLongFormatCurvesAndStatistics_InCsvAndJson()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 3; s++)
        {
            runs.WriteSeed("a", s, 10 + s);
            runs.WriteSeed("b, quoted", s, 20 + s);
        }
        string export = runs.Path_("export");
        Assert.Equal(CompareJob.Ok, CompareJob.Run(new CompareOptions([runs.Path_("a"), runs.Path_("b, quoted")], [], runs.Path_("out"),
                                                                      Metric: CurveAligner.EvalReturn, Export: export),
                                                   _ => null, new StringWriter(), false, out ComparisonResult? result));
        Assert.NotNull(result);

        var curves = ReadCsv(Path.Combine(export, "curves.csv"));
        Assert.Equal(CompareExport.CurveColumns, curves.Header);
        int gridPoints = result.Alignment.Grid.Length;
        var evalRows = curves.Rows.Where(r => r[3] == CurveAligner.EvalReturn).ToList();
        Assert.Equal(2 * 3 * gridPoints, evalRows.Count);                       // groups × seeds × grid points
        Assert.All(evalRows.Where(r => r[0] == "a" && r[1] == "1"), r => Assert.Equal(11, double.Parse(r[4], CultureInfo.InvariantCulture)));
        Assert.All(evalRows.Where(r => r[0] == "b, quoted" && r[1] == "2"), r => Assert.Equal(22, double.Parse(r[4], CultureInfo.InvariantCulture)));
        Assert.Contains(curves.Rows, r => r[3] == "mean_q" && r[0] == "a" && r[1] == "0" && r[4] == "5");   // progress columns too

        var statistics = ReadCsv(Path.Combine(export, "statistics.csv"));
        Assert.Equal(CompareExport.StatisticsColumns, statistics.Header);
        string[] a = statistics.Rows.Single(r => r[0] == "a");
        Assert.Equal(11, double.Parse(a[Array.IndexOf(CompareExport.StatisticsColumns, "mean")], CultureInfo.InvariantCulture), 10);
        Assert.Equal(11, double.Parse(a[Array.IndexOf(CompareExport.StatisticsColumns, "iqm")], CultureInfo.InvariantCulture), 10);

        var pair = ReadCsv(Path.Combine(export, "pairwise.csv")).Rows.Single();
        Assert.Equal(["a", "b, quoted", CurveAligner.EvalReturn], pair[..3]);
        Assert.Equal(0, double.Parse(pair[3], CultureInfo.InvariantCulture));   // every a final is below every b final

        // The JSON files hold the same tables: one object per CSV row, keyed by the header.
        foreach (string name in new[] { "curves", "statistics", "pairwise" })
        {
            var csv = ReadCsv(Path.Combine(export, name + ".csv"));
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(export, name + ".json")));
            var records = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(csv.Rows.Count, records.Count);
            for (int i = 0; i < records.Count; i += Math.Max(1, records.Count / 50))
            {
                for (int c = 0; c < csv.Header.Length; c++)
                {
                    JsonElement value = records[i].GetProperty(csv.Header[c]);
                    string text = value.ValueKind switch
                    {
                        JsonValueKind.Null => "",
                        JsonValueKind.String => value.GetString()!,
                        _ => value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                    };
                    Assert.Equal(csv.Rows[i][c], text);
                }
            }
        }
    }

    [Fact]
    public void Export_CopiesMonitorFilesIntoOneSb3FolderPerGroup()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 3; s++) runs.WriteSeed("huber", s, 10 + s);
        string export = runs.Path_("export");
        Assert.Equal(CompareJob.Ok, CompareJob.Run(new CompareOptions([runs.Path_("huber")], [], runs.Path_("out"), Export: export),
                                                   _ => null, new StringWriter(), false, out _));
        // SB3's load_results(path) reads glob(path/*monitor.csv): every seed of the group, unchanged.
        string[] files = Directory.GetFiles(Path.Combine(export, "monitor", "huber"), "*monitor.csv").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["seed-0.monitor.csv", "seed-1.monitor.csv", "seed-2.monitor.csv"], files.Select(Path.GetFileName));
        for (int s = 0; s < 3; s++)
            Assert.Equal(File.ReadAllBytes(runs.Path_("huber", $"seed-{s}", "monitor.csv")), File.ReadAllBytes(files[s]));
    }

    /// <summary>A small RFC 4180 reader (quoted fields may hold commas and doubled quotes).</summary>
    private static (string[] Header, List<string[]> Rows) ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        return (Split(lines[0]), lines.Skip(1).Select(Split).ToList());

        static string[] Split(string line)
        {
            var cells = new List<string>();
            var cell = new System.Text.StringBuilder();
            bool quoted = false;
            for (int i = 0; i < line.Length; i++)
            {
                char c = line[i];
                if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = !quoted;
                else if (c == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
                else cell.Append(c);
            }
            cells.Add(cell.ToString());
            return [.. cells];
        }
    }
}
