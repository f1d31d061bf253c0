using ScottPlot;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// A diagnostics figure from progress.csv columns as small multiples: one panel per column, each group in its colour
/// with the mean over seeds and the 95% bootstrap band of that mean (3+ seeds), so the spread across seeds shows.
/// A non-negative quantity (a norm, a share, a loss) gets no axis below zero; values spanning more than three
/// decades get a log axis.
/// </summary>
internal sealed class DiagnosticPanels(IReadOnlyList<RunGroup> groups, BootstrapStatistics bootstrap, AlignMode mode, List<string> problems)
{
    private const int PanelHeight = 380;

    public Figure? Render(IReadOnlyList<(string Column, string Title)> panels, string title, string yLabel, string path, bool nonNegative)
    {
        var plots = new List<Plot>();
        foreach (var (column, panelTitle) in panels)
        {
            Alignment aligned = CurveAligner.Align(groups, column, CurveAligner.DefaultGridPoints, mode);
            if (aligned.Groups.Count == 0) continue;
            plots.Add(Panel(aligned, panelTitle, yLabel, nonNegative));
        }
        if (plots.Count == 0)
        {
            problems.Add($"no progress.csv column {string.Join(" or ", panels.Select(p => p.Column))} in any group; figure {Path.GetFileName(path)} skipped");
            return null;
        }
        int columns = plots.Count == 1 ? 1 : plots.Count <= 4 ? 2 : 3;
        int rows = (plots.Count + columns - 1) / columns;
        if (plots.Count == 1)
        {
            plots[0].SavePng(path, CompareFigures.Width, CompareFigures.Height);
        }
        else
        {
            var multiplot = new Multiplot(plots[0]);   // the parameterless constructor adds an empty plot of its own
            foreach (Plot plot in plots.Skip(1)) multiplot.Subplots.Add(plot);
            for (int i = plots.Count; i < rows * columns; i++) multiplot.Subplots.Add(new Plot());   // keep the grid's cells equal
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
            multiplot.SavePng(path, columns == 3 ? 1400 : CompareFigures.Width, Math.Max(CompareFigures.Height, rows * PanelHeight));
        }
        return new Figure(Path.GetFileName(path), title);
    }

    private Plot Panel(Alignment aligned, string title, string yLabel, bool nonNegative)
    {
        var bands = aligned.Groups.Select(g => (Group: g, Band: ComparisonStatistics.Band(g.Curves, bootstrap))).ToList();
        bool log = CompareFigures.WantsLogScale(bands.Select(b => b.Band.Mean));
        double top = 0;
        var plot = new Plot();
        foreach (var (group, (mean, lower, upper)) in bands)
        {
            Color color = CompareFigures.ColorOf(CompareFigures.IndexOf(groups, group.Group));
            if (lower is not null && upper is not null)
            {
                var band = plot.Add.FillY(group.Grid, Scale(lower, log), Scale(upper, log));
                band.FillColor = color.WithAlpha(0.22);
                band.LineWidth = 0;
                top = Math.Max(top, upper.Where(double.IsFinite).DefaultIfEmpty(0).Max());
            }
            var line = plot.Add.ScatterLine(group.Grid, Scale(mean, log), color);
            line.LineWidth = 2;
            line.LegendText = lower is null ? $"{group.Group.Label} (n={group.Curves.Length}, no CI)" : $"{group.Group.Label} (mean ± 95% CI)";
            top = Math.Max(top, mean.Where(double.IsFinite).DefaultIfEmpty(0).Max());
        }
        CompareFigures.Decorate(plot, title, yLabel + (log ? " (log scale)" : ""));
        if (log)
        {
            // ScottPlot 5 has no log axis: the data are log10'd above and the ticks, one per power of ten, say 10^tick.
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                IntegerTicksOnly = true,
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                LabelFormatter = CompareFigures.PowerOfTen,
            };
        }
        else if (nonNegative)
        {
            plot.Axes.AutoScaleX();
            plot.Axes.SetLimitsY(0, top > 0 ? top * 1.08 : 1);   // a norm or a share is never below zero: no axis there
        }
        plot.ShowLegend(Edge.Bottom);   // below the panel: the legend never hides a line
        return plot;
    }

    private static double[] Scale(double[] values, bool log) => log ? values.Select(Math.Log10).ToArray() : values;
}
