using System.Globalization;
using System.Text;

namespace DqnStudy.Agent.Compare;

/// <summary>Formats a <see cref="ComparisonResult"/>: report.md and the table rows shared with the console.</summary>
public static class ComparisonReport
{
    public const string TooFewSeeds = "too few seeds for a claim";

    public static readonly string[] TableHeader =
        ["group", "seeds", "last-10% mean [95% CI]", "last-10% IQM [95% CI]", "final eval mean [95% CI]", "best eval mean [95% CI]",
         "final eval ≥ threshold", "AUC / steps", "steps to threshold", "zeroed share", "clipped share", "steps/s"];

    public static readonly string[] PairHeader = ["A vs B", "P(A > B) [95% CI]", "mean A − B", "Welch p"];

    public static IEnumerable<string[]> TableRows(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (GroupStatistics g in result.Statistics)
        {
            yield return
            [
                g.Label, Inv($"{g.Seeds}"), Format(g.FinalMean), Format(g.FinalIqm),
                g.Evaluations is { } e ? Format(e.FinalMean) : "—", g.Evaluations is { } b ? Format(b.BestMean) : "—",
                g.Evaluations?.FinalReached is { } n ? Inv($"{n}/{g.Evaluations.Finals.Length} seeds") : "—",
                Num(g.Auc.Value),
                g.Threshold is null ? "—" : g.Threshold.MedianSteps is { } m
                    ? Inv($"{m:N0} ({g.Threshold.Reached}/{g.Threshold.Seeds} seeds)")
                    : Inv($"not reached (0/{g.Threshold.Seeds})"),
                Percent(g.ZeroedShare), Percent(g.ClippedShare), g.StepsPerSecond is { } s ? Inv($"{s:N0}") : "—",
            ];
        }
    }

    public static IEnumerable<string[]> PairRows(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (PairwiseComparison p in result.Pairs)
        {
            yield return
            [
                $"{p.A} vs {p.B}",
                p.TooFewSeeds ? Inv($"{p.ProbabilityOfImprovement.Value:0.00} — {TooFewSeeds}")
                              : Inv($"{p.ProbabilityOfImprovement.Value:0.00} [{p.ProbabilityOfImprovement.Lower:0.00}, {p.ProbabilityOfImprovement.Upper:0.00}]"),
                Num(p.MeanDifference),
                p.WelchP is { } pv ? (pv < 1e-4 ? "< 0.0001" : Inv($"{pv:0.0000}")) : TooFewSeeds,
            ];
        }
    }

    public static string Markdown(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var md = new StringBuilder();
        md.AppendLine($"# Comparison: {string.Join(" vs ", result.Groups.Select(g => g.Label))}").AppendLine();
        md.AppendLine("Made by:").AppendLine().AppendLine("```").AppendLine(result.CommandLine).AppendLine("```").AppendLine();
        md.AppendLine(Inv($"- Environment: `{result.EnvId}`; metric: `{result.Metric}` ({CompareFigures.MetricTitle(result.Metric)})"));
        double[] grid = result.Alignment.Grid;
        md.AppendLine(Inv($"- Common grid: {grid.Length} points from step {grid[0]:N0} to {grid[^1]:N0}"));
        md.AppendLine(result.Threshold is { } t ? Inv($"- Threshold: {t:0.##}") : "- Threshold: none (give `--threshold`)");
        md.AppendLine("- Final eval = each seed's last greedy evaluation (eval.csv's last row: the policy training ended with, final_model.bin); " +
                      "best eval = its best one (best_model.bin, as SB3's EvalCallback keeps it); both averaged over seeds; " +
                      "final eval ≥ threshold counts the seeds whose last evaluation reached the threshold.");
        md.AppendLine(Inv($"- Last-10% = mean of each seed's aligned curve over the last {ComparisonStatistics.FinalFraction * 100:0}% of the grid (the pairwise statistics use it); ") +
                      "IQM = mean of the middle 50% of seeds (25% trimmed each side); AUC / steps = area under the aligned curve " +
                      "divided by the step range (the curve's average value); steps to threshold = the first recorded step (episode end or " +
                      "eval step) where a seed's series reaches the threshold, median over the seeds that reached it.");
        md.AppendLine(Inv($"- 95% CIs: percentile bootstrap over seeds, stratified by group, {result.Resamples:N0} resamples, seed {result.BootstrapSeed}; ") +
                      $"P(A > B) = probability of improvement (Agarwal et al. 2021); Welch's t-test on the finals. With fewer than " +
                      $"{BootstrapStatistics.MinimumSeedsForClaim} seeds: \"{TooFewSeeds}\".");
        md.AppendLine();

        md.AppendLine("## Per group").AppendLine();
        Table(md, TableHeader, TableRows(result));
        if (result.Pairs.Count > 0)
        {
            md.AppendLine("## Pairwise").AppendLine();
            Table(md, PairHeader, PairRows(result));
        }

        var instruments = InstrumentSummary.Rows(result.Groups);
        if (instruments.Count > 0)
        {
            md.AppendLine("## Backprop instruments").AppendLine();
            md.AppendLine("First measured value → last, each the mean over the group's seeds (columns: docs/instruments.md).").AppendLine();
            Table(md, ["column", .. result.Groups.Select(g => g.Label)], instruments);
        }

        md.AppendLine("## Figures").AppendLine();
        foreach (Figure f in result.Figures)
        {
            md.AppendLine($"![{f.Title}]({f.FileName})").AppendLine();
        }

        md.AppendLine("## What differs between the configs").AppendLine();
        var noConfig = result.Groups.Where(FlatConfigDiff.HasNoConfig).Select(g => g.Label).ToList();
        if (noConfig.Count > 0)
        {
            md.AppendLine($"No config.yaml in: {string.Join(", ", noConfig)} (e.g. Stable-Baselines3 folders).").AppendLine();
        }
        if (result.ConfigDifferences.Count == 0)
        {
            md.AppendLine("The resolved configs do not differ (apart from values that vary identically across seeds).").AppendLine();
        }
        else
        {
            Table(md, ["key", .. result.Groups.Select(g => g.Label)], result.ConfigDifferences.Select(d => new[] { d.Key }.Concat(d.Values).ToArray()));
        }

        md.AppendLine("## Versions and BLAS").AppendLine();
        Table(md, ["group", "dqnstudy", "dotnet", "os", "blas", "blas description", "loss"], result.Groups.Select(VersionRow));

        if (result.Problems.Count > 0)
        {
            md.AppendLine("## Problems").AppendLine();
            foreach (string p in result.Problems)
            {
                md.AppendLine($"- {p}");
            }
            md.AppendLine();
        }
        return md.ToString();
    }

    /// <summary>Plain text table with aligned columns (console output when redirected).</summary>
    public static string PlainTable(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header.ToArray() };
        all.AddRange(rows);
        int[] widths = Enumerable.Range(0, header.Count).Select(c => all.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (string[] row in all)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }
        return text.ToString();
    }

    private static string[] VersionRow(RunGroup group)
    {
        string Distinct(Func<LoadedRunSummary, string?> pick)
        {
            var values = group.Seeds.Select(s => s.Summary).OfType<LoadedRunSummary>().Select(pick).OfType<string>().Distinct().ToList();
            return values.Count == 0 ? "—" : string.Join(" / ", values);
        }
        return
        [
            group.Label,
            Distinct(s => s.Versions.GetValueOrDefault("dqnstudy")),
            Distinct(s => s.Versions.GetValueOrDefault("dotnet")),
            Distinct(s => s.Versions.GetValueOrDefault("os")),
            Distinct(s => s.Blas), Distinct(s => s.BlasDescription), Distinct(s => s.Loss),
        ];
    }

    private static void Table(StringBuilder md, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        md.AppendLine("| " + string.Join(" | ", header.Select(Escape)) + " |");
        md.AppendLine("|" + string.Concat(header.Select(_ => " --- |")));
        foreach (string[] row in rows)
        {
            md.AppendLine("| " + string.Join(" | ", row.Select(Escape)) + " |");
        }
        md.AppendLine();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);

    public static string Format(Estimate e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.HasInterval ? Inv($"{Num(e.Value)} [{Num(e.Lower!.Value)}, {Num(e.Upper!.Value)}]") : $"{Num(e.Value)} — {TooFewSeeds}";
    }

    private static string Num(double v) => Math.Abs(v) >= 1000 || v == Math.Round(v) ? Inv($"{v:0.#}") : Math.Abs(v) >= 1 ? Inv($"{v:0.0}") : Inv($"{v:0.####}");

    private static string Percent(double? share) => share is { } s ? Inv($"{s * 100:0.0}%") : "—";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
