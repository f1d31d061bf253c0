using System.Globalization;
using System.Text;
using ScottPlot;

namespace DqnStudy.Agent.Studies.Exploding;

/// <summary>Writes the experiment's CSV, its log-scale figure and its results page into one folder.</summary>
public static class RnnExplodingReport
{
    public const string CsvFile = "rnn-exploding.csv";
    public const string FigureFile = "rnn-exploding.png";
    public const string PageFile = "README.md";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(IReadOnlyList<RnnExplodingSeries> series, RnnExplodingOptions options, string folder, string commandLine)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(folder);
        WriteCsv(series, Path.Combine(folder, CsvFile));
        WriteFigure(series, options, Path.Combine(folder, FigureFile));
        File.WriteAllText(Path.Combine(folder, PageFile), Page(series, options, commandLine));
    }

    public static void WriteCsv(IReadOnlyList<RnnExplodingSeries> series, string path)
    {
        var csv = new StringBuilder("rho,spectral_radius,largest_singular_value,T,grad_norm_h0_zero,grad_norm_h0_random,exact_linear,rho_pow_T\n");
        foreach (RnnExplodingSeries s in series)
        {
            for (int t = 0; t < s.RhoPowT.Length; t++)
            {
                csv.Append(Invariant, $"{s.Rho:R},{s.SpectralRadius:R},{s.LargestSingularValue:R},{t + 1},{s.GradNormZeroH0[t]:R},{s.GradNormRandomH0[t]:R},{s.ExactLinear[t]:R},{s.RhoPowT[t]:R}\n");
            }
        }
        File.WriteAllText(path, csv.ToString());
    }

    private static void WriteFigure(IReadOnlyList<RnnExplodingSeries> series, RnnExplodingOptions options, string path)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < series.Count; i++)
        {
            RnnExplodingSeries s = series[i];
            double[] t = Enumerable.Range(1, s.RhoPowT.Length).Select(x => (double)x).ToArray();
            Color color = palette.GetColor(i);
            var measured = plot.Add.ScatterLine(t, Log10(s.GradNormZeroH0), color);
            measured.LineWidth = 2.5f;
            measured.LegendText = $"ρ = {s.Rho:0.###}: BPTT, h0 = 0";
            var random = plot.Add.ScatterLine(t, Log10(s.GradNormRandomH0), color);
            random.LineWidth = 1.5f;
            random.LinePattern = LinePattern.Dotted;
            random.LegendText = $"ρ = {s.Rho:0.###}: BPTT, random h0 (‖h0‖ = {options.H0Norm:0.###})";
            var predicted = plot.Add.ScatterLine(t, Log10(s.RhoPowT), color.WithAlpha(0.7));
            predicted.LineWidth = 1.5f;
            predicted.LinePattern = LinePattern.Dashed;
            predicted.LegendText = $"ρ^T = {s.Rho:0.###}^T";
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => "1e" + y.ToString("0", Invariant),
        };
        plot.Title($"Vanilla RNN, zero input: ‖dL/dh0‖ vs unroll length T (H = {options.Hidden}, unit g at h_T)");
        plot.XLabel("T (time steps backpropagated)");
        plot.YLabel("‖dL/dh0‖ (log scale)");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 1200, 600);
    }

    private static double[] Log10(double[] values) => values.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToArray();

    private static string Page(IReadOnlyList<RnnExplodingSeries> series, RnnExplodingOptions options, string commandLine)
    {
        var md = new StringBuilder();
        int maxT = options.MaxT;
        int[] marks = new[] { 1, 10, 25, 50, 100, maxT }.Where(t => t <= maxT).Distinct().ToArray();
        md.AppendLine("# Exploding and vanishing gradients in a vanilla RNN (the essay's experiment)");
        md.AppendLine();
        md.AppendLine("Written by the tool. Command:");
        md.AppendLine();
        md.AppendLine("```");
        md.AppendLine(commandLine);
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine($"Setup: `VanillaRnn` (the project's hand-written BPTT, float32) with hidden size {options.Hidden}, zero input, zero biases, "
                      + $"only the recurrence h_t = tanh(W_hh h_(t-1)). W_hh is one Gaussian draw N(0, 1/H) (seed {options.Seed}) rescaled to each "
                      + $"spectral radius ρ. For every T = 1..{maxT} a unit upstream gradient g (a fixed random direction) is placed on h_T and "
                      + "backpropagated; the figure plots ‖dL/dh0‖. Data: [`" + CsvFile + "`](" + CsvFile + ").");
        md.AppendLine();
        md.AppendLine($"![‖dL/dh0‖ vs T]({FigureFile})");
        md.AppendLine();
        md.AppendLine("**What the prediction is.** With h0 = 0 every h_t stays 0, tanh'(0) = 1, and backprop through time is exactly "
                      + "g ↦ (W_hhᵀ)^T g. The exact prediction is therefore ‖(W_hhᵀ)^T g‖, computed here by an independent float64 "
                      + "matrix power; ρ^T (dashed) is its asymptotic growth *rate*, not its value: the two differ by a constant set by "
                      + "g's overlap with W_hh's dominant eigenvectors, and by transient growth while T is small (W_hh is not normal, so "
                      + "its largest singular value exceeds ρ). With a small random h0 the state moves, tanh' < 1 wherever it does, and "
                      + "the gradient falls below the linear prediction (dotted).");
        md.AppendLine();
        md.AppendLine("| ρ (target) | spectral radius (measured) | largest singular value | max rel. diff BPTT(h0=0) vs exact | "
                      + string.Join(" | ", marks.Select(t => $"‖dL/dh0‖ T={t} (h0=0 / random)")) + " |");
        md.AppendLine("|" + string.Concat(Enumerable.Repeat(" --- |", 4 + marks.Length)));
        foreach (RnnExplodingSeries s in series)
        {
            double maxDiff = Enumerable.Range(0, maxT).Max(i => Math.Abs(s.GradNormZeroH0[i] - s.ExactLinear[i]) / s.ExactLinear[i]);
            md.Append(Invariant, $"| {s.Rho:0.###} | {s.SpectralRadius:0.0000} | {s.LargestSingularValue:0.0000} | {maxDiff:0.0e+00} | ");
            md.AppendLine(string.Join(" | ", marks.Select(t => string.Create(Invariant, $"{s.GradNormZeroH0[t - 1]:0.###e+00} / {s.GradNormRandomH0[t - 1]:0.###e+00}"))) + " |");
        }
        md.AppendLine();
        md.AppendLine("**What the numbers show.**");
        md.AppendLine();
        foreach (RnnExplodingSeries s in series)
        {
            double last = s.GradNormZeroH0[maxT - 1], lastRandom = s.GradNormRandomH0[maxT - 1];
            double rate = maxT > 20 ? Math.Pow(s.GradNormZeroH0[maxT - 1] / s.GradNormZeroH0[maxT / 2 - 1], 1.0 / (maxT - maxT / 2)) : double.NaN;
            string verdict = last > 10 ? "explodes" : last < 0.1 ? "vanishes" : "stays within a factor 10 of 1";
            string damped = lastRandom < 0.5 * last ? ", well below the linear prediction: saturating tanh damps the gradient." : ".";
            md.AppendLine(string.Create(Invariant,
                $"- ρ = {s.Rho:0.###}: with h0 = 0 the gradient {verdict} (‖dL/dh0‖ = {last:0.###e+00} at T = {maxT}); its per-step growth over the second half is {rate:0.0000} against ρ = {s.SpectralRadius:0.0000}. With the random h0: {lastRandom:0.###e+00}{damped}"));
        }
        return md.ToString();
    }
}
