using System.Globalization;
using System.Text;

namespace DqnStudy.Agent.Compare;

/// <summary>Formats a <see cref="ComparisonResult"/>: report.md and the table rows shared with the console.</summary>
public static class ComparisonReport
{
    public const string TooFewSeeds = "too few seeds for a claim";

    public static readonly string[] TableHeader =
    [
        "group", "seeds", "final mean [95% CI]", "final IQM [95% CI]",
        "final eval mean [95% CI]", "best eval mean [95% CI]", "final eval ≥ threshold", "AUC / steps", "steps to threshold",
        "zeroed share: last (mean)", "clipped share: last (mean)", "steps/s",
    ];

    /// <summary>What each column of <see cref="TableHeader"/> means, in its order.</summary>
    public static readonly string[] TableDefinitions =
    [
        "the run group (its folder name, or `--label`)",
        "seeds on the common grid (a seed without the metric, or killed early, is left out and listed under Problems)",
        Inv($"each seed's **final** is the mean of its aligned curve over the last {ComparisonStatistics.FinalFraction * 100:0}% of the grid; the mean of the finals over the seeds, with a 95% bootstrap CI"),
        "the interquartile mean of the finals: the mean of the middle 50% of seeds (25% trimmed at each end), with its 95% CI",
        "each seed's **last greedy evaluation** (the last row of `eval.csv`: the policy training ended with, `final_model.bin`), mean over seeds with its 95% CI",
        "each seed's **best greedy evaluation** (the highest `eval.csv` row: `best_model.bin`, as Stable-Baselines3's `EvalCallback` keeps it), mean over seeds with its 95% CI",
        "how many seeds' last greedy evaluation reached the threshold",
        "the area under each seed's aligned curve divided by the step range, i.e. the curve's average value over training; mean over seeds",
        "per seed, the first recorded step (episode end, or evaluation step) where its series reaches the threshold, within the grid; the median over the seeds that reached it, and how many did",
        "share of the batch samples whose TD-error gradient the loss set to zero (`clipped_delta` with |δ| above the bound: the bug; 0 for `huber` and `mse`), `progress.csv` column `zeroed_share`: its value in the **last logged interval**, mean over seeds; in brackets its mean over all intervals of training",
        "share of the batch samples whose gradient the loss capped at ±delta (`huber`'s linear part, `deepmind_clamp`), `progress.csv` column `clipped_share`: last logged interval (mean over all intervals), as for the zeroed share",
        "environment steps per second of each seed's last session (`summary.json`), mean over seeds",
    ];

    public static readonly string[] PairHeader = ["A vs B", "P(A > B) [95% CI]", "mean A − B", "Welch p"];

    public static readonly string[] PairDefinitions =
    [
        "the two groups, in argument order",
        "probability of improvement (Agarwal et al. 2021): the chance that a seed of A has a higher final than a seed of B, ties counting half; 95% bootstrap CI over seeds",
        "the difference of the final means",
        "two-sided Welch's t-test on the finals (unequal variances)",
    ];

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
                Share(g.Zeroed), Share(g.Clipped), g.StepsPerSecond is { } s ? Inv($"{s:N0}") : "—",
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

    /// <summary>Everything the report says, for <see cref="Markdown"/> and <see cref="ComparisonHtml"/>.</summary>
    public static ReportDocument Document(ComparisonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double[] grid = result.Alignment.Grid;
        var setup = new List<string>
        {
            Inv($"Environment: `{result.EnvId}`; metric: `{result.Metric}` ({CompareFigures.MetricTitle(result.Metric)})"),
            Inv($"Grid: {grid.Length} points from step {grid[0]:N0} to {grid[^1]:N0}; {result.Alignment.Description}"),
            result.Threshold is { } t ? Inv($"Threshold: {t:0.##}") : "Threshold: none (give `--threshold`)",
            Inv($"95% CIs: percentile bootstrap over seeds, stratified by group, {result.Resamples:N0} resamples, seed {result.BootstrapSeed}. ") +
            $"With fewer than {BootstrapStatistics.MinimumSeedsForClaim} seeds a group gets no interval and no test: \"{TooFewSeeds}\".",
        };

        var before = new List<ReportSection>
        {
            new("Per group", [], new ReportTable(TableHeader, TableRows(result).ToList()), Defined(TableHeader, TableDefinitions)),
        };
        if (result.Pairs.Count > 0)
            before.Add(new ReportSection("Pairwise", [], new ReportTable(PairHeader, PairRows(result).ToList()), Defined(PairHeader, PairDefinitions)));
        var instruments = InstrumentSummary.Rows(result.Groups);
        if (instruments.Count > 0)
        {
            before.Add(new ReportSection("Backprop instruments",
                ["First measured value → last, each the mean over the group's seeds (columns: docs/instruments.md)."],
                new ReportTable(["column", .. result.Groups.Select(g => g.Label)], instruments), []));
        }

        var after = new List<ReportSection>();
        var configText = new List<string>();
        var noConfig = result.Groups.Where(ConfigFlattener.HasNoConfig).Select(g => g.Label).ToList();
        if (noConfig.Count > 0) configText.Add($"No config.yaml in: {string.Join(", ", noConfig)} (e.g. Stable-Baselines3 folders).");
        if (result.ConfigDifferences.Count == 0)
        {
            configText.Add("The resolved configs do not differ (apart from values that vary identically across seeds).");
            after.Add(new ReportSection("What differs between the configs", configText, null, []));
        }
        else
        {
            after.Add(new ReportSection("What differs between the configs", configText,
                new ReportTable(["key", .. result.Groups.Select(g => g.Label)],
                                result.ConfigDifferences.Select(d => new[] { d.Key }.Concat(d.Values).ToArray()).ToList()), []));
        }
        after.Add(new ReportSection("Versions and BLAS", [],
            new ReportTable(["group", "dqnstudy", "dotnet", "os", "blas", "blas description", "loss"], result.Groups.Select(VersionRow).ToList()), []));
        if (result.Problems.Count > 0) after.Add(new ReportSection("Problems", [], null, result.Problems));

        return new ReportDocument($"Comparison: {string.Join(" vs ", result.Groups.Select(g => g.Label))}", result.CommandLine,
                                  setup, before, result.Figures, after);
    }

    public static string Markdown(ComparisonResult result)
    {
        ReportDocument doc = Document(result);
        var md = new StringBuilder();
        md.AppendLine($"# {doc.Title}").AppendLine();
        md.AppendLine("Made by:").AppendLine().AppendLine("```").AppendLine(doc.CommandLine).AppendLine("```").AppendLine();
        foreach (string line in doc.Setup) md.AppendLine($"- {line}");
        md.AppendLine();
        foreach (ReportSection section in doc.BeforeFigures) Section(md, section);
        md.AppendLine("## Figures").AppendLine();
        foreach (Figure f in doc.Figures) md.AppendLine($"![{f.Title}]({f.FileName})").AppendLine();
        foreach (ReportSection section in doc.AfterFigures) Section(md, section);
        return md.ToString();
    }

    private static void Section(StringBuilder md, ReportSection section)
    {
        md.AppendLine($"## {section.Title}").AppendLine();
        foreach (string paragraph in section.Paragraphs) md.AppendLine(paragraph).AppendLine();
        if (section.Table is { } table) Table(md, table.Header, table.Rows);
        if (section.Bullets.Count > 0)
        {
            foreach (string bullet in section.Bullets) md.AppendLine($"- {bullet}");
            md.AppendLine();
        }
    }

    private static List<string> Defined(string[] header, string[] definitions) =>
        header.Zip(definitions, (column, meaning) => $"**{column}**: {meaning}").ToList();

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

    public static string[] VersionRow(RunGroup group)
    {
        string Distinct(Func<RunSummaryReadout, string?> pick)
        {
            var values = group.Seeds.Select(s => s.Summary).OfType<RunSummaryReadout>().Select(pick).OfType<string>().Distinct().ToList();
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

    private static string Share(ShareSummary? share) =>
        share is { } s ? Inv($"{s.Last * 100:0.0}% ({s.Mean * 100:0.0}%)") : "—";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
