using DqnStudy.Agent.Runs;
using ScottPlot;

namespace DqnStudy.Agent.Compare;

/// <summary>A rendered figure: its file name in the output folder and what it shows.</summary>
public sealed record Figure(string FileName, string Title);

/// <summary>
/// ScottPlot PNG figures. Each group keeps one colour (its index in the loaded groups, Category10) in every figure.
/// Learning curve: mean over seeds (thick), 95% bootstrap band of the mean (3+ seeds), each seed faint.
/// Diagnostics from progress.csv: <see cref="DiagnosticPanels"/>, one panel per column (small multiples).
/// </summary>
public static class CompareFigures
{
    public const int Width = 1000;
    public const int Height = 560;

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

        var diagnostics = new DiagnosticPanels(groups, bootstrap, curve.Mode, problems);
        figures.AddRange(new[]
        {
            diagnostics.Render([(RunFolder.ZeroedShare, "Zeroed gradients (the bug)"), (RunFolder.ClippedShare, "Clipped gradients (Huber)")],
                               "Share of batch samples whose gradient the loss zeroed or clipped", "share of batch samples",
                               Path.Combine(outputFolder, "diag_gradient_shares.png"), nonNegative: true),
            diagnostics.Render([(RunFolder.MeanQ, "Mean Q of the sampled batch")], "Mean Q of the sampled batch", "mean Q (return units)",
                               Path.Combine(outputFolder, "diag_mean_q.png"), nonNegative: false),
            diagnostics.Render([(RunFolder.Loss, "Training loss")], "Training loss", "loss (batch mean)",
                               Path.Combine(outputFolder, "diag_loss.png"), nonNegative: true),
            GradientNorms(groups, diagnostics, outputFolder),
        }.OfType<Figure>());
        return figures;
    }

    /// <summary>One panel per layer (grad_norm_&lt;layer&gt;), or the global grad_norm when no layer is logged.</summary>
    private static Figure? GradientNorms(IReadOnlyList<RunGroup> groups, DiagnosticPanels diagnostics, string outputFolder)
    {
        string[] layers = groups.SelectMany(g => g.Seeds).Where(s => s.Progress is not null)
            .SelectMany(s => s.Progress!.ColumnNames).Where(c => c.StartsWith(RunFolder.GradientNormPrefix, StringComparison.Ordinal)
                                                                  && !InstrumentSummary.IsInstrument(c))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        var panels = layers.Length > 0
            ? layers.Select(c => (c, $"Gradient norm — {c[RunFolder.GradientNormPrefix.Length..]}")).ToArray()
            : [(RunFolder.GradNorm, "Gradient norm (all parameters)")];
        return diagnostics.Render(panels, "Gradient L2 norm per layer", "gradient L2 norm",
                                  Path.Combine(outputFolder, "diag_grad_norm.png"), nonNegative: true);
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
        foreach (AlignedGroup group in curve.Groups)
        {
            double[] xs = group.Grid;
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

    internal static void Decorate(Plot plot, string title, string yLabel)
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

    internal static int IndexOf(IReadOnlyList<RunGroup> groups, RunGroup group)
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
