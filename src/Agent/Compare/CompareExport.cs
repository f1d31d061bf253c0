using DqnStudy.Agent.Runs;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// `compare --export DIR`: the comparison as data for pandas and friends, and the groups as Stable-Baselines3 folders.
/// <list type="bullet">
/// <item>curves.csv / curves.json: long format (group, seed, step, metric, value), the compared metric and every
/// progress.csv column on the comparison's grid, as aligned for the figures.</item>
/// <item>statistics.csv / .json: per group and metric row, IQM and mean of the finals with their 95% CIs, AUC / steps.</item>
/// <item>pairwise.csv / .json: P(A &gt; B) with its CI, the mean difference and Welch's p.</item>
/// <item>monitor/&lt;group&gt;/seed-&lt;n&gt;.monitor.csv: copies of each seed's monitor.csv, so SB3's
/// <c>load_results("DIR/monitor/&lt;group&gt;")</c> reads a whole group at once.</item>
/// </list>
/// </summary>
public static class CompareExport
{
    public static readonly string[] CurveColumns = ["group", "seed", "step", "metric", "value"];
    public static readonly string[] StatisticsColumns =
        ["group", "metric", "seeds", "iqm", "iqm_ci_low", "iqm_ci_high", "mean", "mean_ci_low", "mean_ci_high", "auc_per_step"];
    public static readonly string[] PairColumns = ["group_a", "group_b", "metric", "p_a_gt_b", "p_ci_low", "p_ci_high", "mean_difference", "welch_p"];

    /// <summary>An export folder: it holds statistics.csv.</summary>
    public static bool IsExport(string folder) => File.Exists(Path.Combine(folder, "statistics.csv"));

    /// <summary>Writes the files above into `folder` (created if needed); returns the file names written.</summary>
    public static IReadOnlyList<string> Write(ComparisonResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        var written = new List<string>();

        var curves = Curves(result).ToList();
        written.AddRange(Table(folder, "curves", CurveColumns, curves));
        var statistics = result.Statistics.Select(g => new object?[]
        {
            g.Label, result.Metric, g.Seeds, g.FinalIqm.Value, g.FinalIqm.Lower, g.FinalIqm.Upper,
            g.FinalMean.Value, g.FinalMean.Lower, g.FinalMean.Upper, g.Auc.Value,
        }).ToList();
        written.AddRange(Table(folder, "statistics", StatisticsColumns, statistics));
        var pairs = result.Pairs.Select(p => new object?[]
        {
            p.A, p.B, result.Metric, p.ProbabilityOfImprovement.Value, p.ProbabilityOfImprovement.Lower,
            p.ProbabilityOfImprovement.Upper, p.MeanDifference, p.WelchP,
        }).ToList();
        written.AddRange(Table(folder, "pairwise", PairColumns, pairs));
        written.AddRange(MonitorFolders(result.Groups, Path.Combine(folder, "monitor")));
        return written;
    }

    /// <summary>The long-format rows: the compared metric from the result's alignment, then each progress.csv column
    /// aligned the same way (mode and grid size).</summary>
    private static IEnumerable<object?[]> Curves(ComparisonResult result)
    {
        var alignments = new List<Alignment> { result.Alignment };
        var columns = result.Groups.SelectMany(g => g.Seeds).Select(s => s.Progress).OfType<CsvTable>()
            .SelectMany(p => p.ColumnNames).Where(c => c != RunFolder.Steps && c != result.Metric).Distinct().ToList();
        alignments.AddRange(columns.Select(c => CurveAligner.Align(result.Groups, c, result.Alignment.Grid.Length, result.Alignment.Mode)));
        foreach (Alignment alignment in alignments)
        {
            foreach (AlignedGroup group in alignment.Groups)
            {
                for (int s = 0; s < group.Seeds.Count; s++)
                {
                    for (int p = 0; p < group.Grid.Length; p++)
                    {
                        double value = group.Curves[s][p];
                        if (double.IsNaN(value)) continue;
                        yield return [group.Group.Label, group.Seeds[s].Seed, group.Grid[p], alignment.Metric, value];
                    }
                }
            }
        }
    }

    private static IEnumerable<string> MonitorFolders(IReadOnlyList<RunGroup> groups, string root)
    {
        foreach (RunGroup group in groups)
        {
            foreach (SeedRun seed in group.Seeds)
            {
                if (seed.Monitor is not { } monitor) continue;
                string target = Path.Combine(root, CompareJob.SafeName(group.Label), $"seed-{seed.Seed}.monitor.csv");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(monitor.Path, target, overwrite: true);
                yield return Path.GetRelativePath(Path.GetDirectoryName(root)!, target);
            }
        }
    }

    private static string[] Table(string folder, string name, string[] header, IReadOnlyList<object?[]> rows)
    {
        var csv = new StringBuilder(string.Join(',', header)).Append('\n');
        foreach (object?[] row in rows) csv.Append(string.Join(',', row.Select(CsvCell))).Append('\n');
        File.WriteAllText(Path.Combine(folder, name + ".csv"), csv.ToString());

        // JSON: an array of objects keyed by the CSV header (pandas.read_json reads it as the same table); a missing
        // value is null, never NaN (not JSON).
        var records = rows.Select(row => header.Zip(row).ToDictionary(p => p.First, p => Json(p.Second))).ToList();
        File.WriteAllText(Path.Combine(folder, name + ".json"), JsonSerializer.Serialize(records));
        return [name + ".csv", name + ".json"];
    }

    private static object? Json(object? value) => value is double d && !double.IsFinite(d) ? null : value;

    private static string CsvCell(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        string s when s.IndexOfAny([',', '"', '\n', '\r']) >= 0 => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
