using ScottPlot;

namespace DqnStudy.Agent.Compare;

/// <summary>A rendered figure: its file name in the output folder and what it shows.</summary>
public sealed record Figure(string FileName, string Title);

/// <summary>
/// ScottPlot PNG figures. Each group keeps one colour (its index in the loaded groups, Category10) in every figure.
/// Learning curve: mean over seeds (thick), 95% bootstrap band of the mean (3+ seeds), each seed faint.
/// Diagnostics from progress.csv: mean over seeds of each column, one file per panel so each stays legible.
/// </summary>
public static class CompareFigures
{
    public const int Width = 1000;
    public const int Height = 560;

    private static readonly LinePattern[] LayerPatterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];

    public static Color ColorOf(int groupIndex) => new ScottPlot.Palettes.Category10().GetColor(groupIndex);

    public static IReadOnlyList<Figure> Render(Alignment curve, IReadOnlyList<RunGroup> groups, string envId, double? threshold,
                                               BootstrapStatistics bootstrap, string outputFolder, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(problems);
        var figures = new List<Figure>();
        string metricTitle = MetricTitle(curve.Metric);
        figures.Add(LearningCurve(curve, groups, $"{metricTitle} vs env steps — {envId}", threshold, bootstrap,
                                  Path.Combine(outputFolder, "curve.png")));

        Figure? shares = Diagnostic(groups, ["zeroed_share", "clipped_share"], "Zeroed (solid) and clipped (dashed) gradients",
                                    "share of batch samples (0–1)", Path.Combine(outputFolder, "diag_gradient_shares.png"), problems);
        Figure? meanQ = Diagnostic(groups, ["mean_q"], "Mean Q of the sampled batch", "mean Q (return units)",
                                   Path.Combine(outputFolder, "diag_mean_q.png"), problems);
        Figure? loss = Diagnostic(groups, ["loss"], "Training loss", "loss (batch mean)", Path.Combine(outputFolder, "diag_loss.png"), problems);
        string[] layers = groups.SelectMany(g => g.Seeds).Where(s => s.Progress is not null)
            .SelectMany(s => s.Progress!.ColumnNames).Where(c => c.StartsWith("grad_norm_", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToArray();
        Figure? norms = Diagnostic(groups, layers.Length > 0 ? layers : ["grad_norm"],
                                   "Gradient norm per layer (line style = layer)", "gradient L2 norm",
                                   Path.Combine(outputFolder, "diag_grad_norm.png"), problems);
        figures.AddRange(new[] { shares, meanQ, loss, norms }.OfType<Figure>());
        return figures;
    }

    public static string MetricTitle(string metric) => metric switch
    {
        CurveAligner.TrainReturn => $"Train return (mean of last {CurveAligner.TrainReturnWindow} episodes)",
        CurveAligner.EvalReturn => "Greedy evaluation return",
        _ => metric,
    };

    public static Figure LearningCurve(Alignment curve, IReadOnlyList<RunGroup> groups, string title, double? threshold,
                                       BootstrapStatistics bootstrap, string path)
    {
        ArgumentNullException.ThrowIfNull(curve);
        ArgumentNullException.ThrowIfNull(groups);
        var plot = new Plot();
        double[] xs = curve.Grid;
        foreach (AlignedGroup group in curve.Groups)
        {
            Color color = ColorOf(IndexOf(groups, group.Group));
            var (mean, lower, upper) = ComparisonStatistics.Band(group.Curves, bootstrap);
            if (lower is not null && upper is not null)
            {
                var band = plot.Add.FillY(xs, lower, upper);
                band.FillColor = color.WithAlpha(0.22);
                band.LineWidth = 0;
            }
            foreach (double[] seed in group.Curves)
            {
                var faint = plot.Add.ScatterLine(xs, seed, color.WithAlpha(0.3));
                faint.LineWidth = 1;
            }
            var line = plot.Add.ScatterLine(xs, mean, color);
            line.LineWidth = 2.5f;
            line.LegendText = lower is null
                ? $"{group.Group.Label} (n={group.Curves.Length}, too few seeds for a CI)"
                : $"{group.Group.Label} (n={group.Curves.Length}, mean ± 95% CI)";
        }
        if (threshold is { } t)
        {
            var h = plot.Add.HorizontalLine(t, 1.5f, Colors.Gray, LinePattern.Dashed);
            h.LegendText = $"threshold {t:0.##}";
        }
        Decorate(plot, title, MetricUnit(curve.Metric));
        plot.SavePng(path, Width, Height);
        return new Figure(Path.GetFileName(path), title);
    }

    private static Figure? Diagnostic(IReadOnlyList<RunGroup> groups, string[] columns, string title, string yLabel, string path,
                                      List<string> problems)
    {
        var lines = new List<(int Column, AlignedGroup Group, double[] Grid, double[] Mean)>();
        for (int c = 0; c < columns.Length; c++)
        {
            Alignment aligned = CurveAligner.Align(groups, columns[c]);
            foreach (AlignedGroup group in aligned.Groups)
            {
                lines.Add((c, group, aligned.Grid, ComparisonStatistics.MeanCurve(group.Curves)));
            }
        }
        if (lines.Count == 0)
        {
            problems.Add($"no progress.csv column {string.Join(" or ", columns)} in any group; figure {Path.GetFileName(path)} skipped");
            return null;
        }
        bool log = WantsLogScale(lines.Select(l => l.Mean));
        var plot = new Plot();
        foreach (var (c, group, grid, mean) in lines)
        {
            var line = plot.Add.ScatterLine(grid, log ? mean.Select(Math.Log10).ToArray() : mean, ColorOf(IndexOf(groups, group.Group)));
            line.LineWidth = 2;
            line.LinePattern = LayerPatterns[c % LayerPatterns.Length];
            line.LegendText = columns.Length > 1 ? $"{group.Group.Label}: {columns[c]}" : group.Group.Label;
        }
        Decorate(plot, title, yLabel + ", mean over seeds" + (log ? " (log scale)" : ""));
        if (log)
        {
            // ScottPlot 5 has no log axis: the data are log10'd above and the ticks, one per power of ten, say 10^tick.
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                LabelFormatter = PowerOfTen,
            };
        }
        plot.ShowLegend(Edge.Right);   // diagnostics fill the whole box; outside, the legend hides no line
        plot.SavePng(path, Width, Height);
        return new Figure(Path.GetFileName(path), title);
    }

    /// <summary>
    /// A log y axis when every finite value is positive and they span more than `decades` powers of ten: a diverging
    /// mean Q (1e2 → 4e7) is a flat line and a spike on a linear axis, a readable climb on a log one. Anything zero or
    /// negative keeps the linear axis (a log one cannot show it).
    /// </summary>
    public static bool WantsLogScale(IEnumerable<IReadOnlyList<double>> series, double decades = 3)
    {
        ArgumentNullException.ThrowIfNull(series);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (IReadOnlyList<double> values in series)
        {
            foreach (double v in values)
            {
                if (!double.IsFinite(v)) continue;   // a missing point (NaN) decides nothing
                if (v <= 0) return false;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }
        return max > min && Math.Log10(max) - Math.Log10(min) > decades;
    }

    /// <summary>The label of a tick at log10(value) = exponent: plain digits from 0.01 to 10,000, else 1e{exponent}.</summary>
    public static string PowerOfTen(double exponent) =>
        exponent is >= -2 and <= 4
            ? Math.Pow(10, exponent).ToString("#,0.##", System.Globalization.CultureInfo.InvariantCulture)
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"1e{exponent:0}");

    private static void Decorate(Plot plot, string title, string yLabel)
    {
        plot.Title(title);
        plot.XLabel("environment steps");
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
    }

    private static string MetricUnit(string metric) => metric switch
    {
        CurveAligner.TrainReturn or CurveAligner.EvalReturn => "episode return (sum of rewards)",
        _ => metric,
    };

    private static int IndexOf(IReadOnlyList<RunGroup> groups, RunGroup group)
    {
        for (int i = 0; i < groups.Count; i++)
        {
            if (groups[i].Label == group.Label)
            {
                return i;
            }
        }
        return groups.Count;
    }
}
