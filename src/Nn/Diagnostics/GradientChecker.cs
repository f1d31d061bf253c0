namespace DqnStudy.Nn.Diagnostics;

/// <summary>
/// How the check is judged. Eps: the step h in parameter units, taken exactly on a float64 copy of the parameters.
/// The numeric gradient is Richardson's extrapolation of two centred differences, (4·D(h/2) − D(h)) / 3, whose error
/// is O(h⁴) instead of O(h²) (sigmoids behind weights of a few hundred curve hard: with the old float-perturbed plain
/// centred difference at h = 1e-3, study-sigmoid-large-init's fc1.bias was off by 1.3%). Relative error =
/// |a − n| / max(|a|, |n|, floor) with floor = FloorFraction · (largest |gradient| anywhere in the network): a gradient
/// 10⁴ times smaller than the largest one is judged by absolute error at that scale, because float32 backprop cannot
/// resolve it relatively (e.g. 1 − σ(z) cancels for saturated sigmoids, delta = target − q cancels for |q| ~ 10³).
/// Tolerance 1e-2: the analytic side is float32 (the house rule for float checks). MaxChecksPerTensor elements are
/// spread evenly over each tensor.
/// </summary>
public sealed record GradientCheckSettings(double Eps = 1e-4, double Tolerance = 1e-2, double FloorFraction = 1e-4, int MaxChecksPerTensor = 256)
{
    public void Validate()
    {
        if (!(Eps > 0 && Eps < 1)) throw new ArgumentOutOfRangeException(nameof(Eps), Eps, "Eps must be in (0, 1).");
        if (!(Tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "Tolerance must be positive.");
        if (!(FloorFraction > 0 && FloorFraction < 1)) throw new ArgumentOutOfRangeException(nameof(FloorFraction), FloorFraction, "FloorFraction must be in (0, 1).");
        if (MaxChecksPerTensor < 1) throw new ArgumentOutOfRangeException(nameof(MaxChecksPerTensor), MaxChecksPerTensor, "MaxChecksPerTensor must be at least 1.");
    }
}

/// <summary>One tensor's verdict. Skipped: elements whose ±eps moved some value across a kink (no derivative to compare).</summary>
public sealed record TensorCheck(string Name, int Elements, int Checked, int SkippedAtKinks, double MaxRelativeError,
                                 double MaxAbsoluteError, int WorstIndex, double WorstAnalytic, double WorstNumeric, double Tolerance)
{
    /// <summary>A tensor none of whose elements could be compared has not passed: nothing was shown.</summary>
    public bool Passed => Checked > 0 && MaxRelativeError <= Tolerance;
}

public sealed record GradientCheckReport(string Description, GradientCheckSettings Settings, double Floor, IReadOnlyList<TensorCheck> Tensors)
{
    public bool Passed => Tensors.Count > 0 && Tensors.All(t => t.Passed);
}

/// <summary>Backprop against centred finite differences, tensor by tensor (CS231n's recipe, away from kinks): the one
/// gradient checker, for the gradcheck study (<see cref="Run"/>, on a float64 subject) and the tests (<see cref="CheckTensor"/>).</summary>
public static class GradientChecker
{
    public static GradientCheckReport Run(IGradientSubject subject, GradientCheckSettings settings)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        subject.Backpropagate();
        var baseSides = new List<bool>();
        subject.Loss(baseSides, Nudge.None);
        var sides = new List<bool>(baseSides.Count);

        double largest = 0;
        for (int t = 0; t < subject.TensorNames.Count; t++)
        {
            foreach (float g in subject.Gradient(t)) largest = Math.Max(largest, Math.Abs((double)g));
        }
        double floor = Math.Max(settings.FloorFraction * largest, 1e-12);
        var results = new List<TensorCheck>();
        for (int t = 0; t < subject.TensorNames.Count; t++)
        {
            int tensor = t;
            results.Add(Judge(subject.TensorNames[t], subject.Length(t), subject.Gradient(t).ToArray(), settings.MaxChecksPerTensor,
                              floor, settings.Tolerance, i => Richardson(subject, tensor, i, settings.Eps, baseSides, sides)));
        }
        return new GradientCheckReport(subject.Description, settings, floor, results);
    }

    /// <summary>
    /// One tensor held as a float32 array that <paramref name="loss"/> reads (the kernel, layer and cell tests): each
    /// checked element is set to original ± eps in float32 and the plain centred difference divides by that rounded
    /// step. Relative error = |a − n| / max(|a|, |n|, <paramref name="floor"/>), an absolute floor; every element is
    /// checked unless <paramref name="maxChecks"/> spreads fewer evenly. No kinks are skipped: callers keep inputs away
    /// from them.
    /// </summary>
    public static TensorCheck CheckTensor(string name, float[] values, ReadOnlySpan<float> analytic, Func<double> loss,
                                          double eps = 1e-2, double tolerance = 1e-2, double floor = 1e-4, int maxChecks = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(loss);
        Shapes.Require(analytic, values.Length, nameof(analytic));
        return Judge(name, values.Length, analytic[..values.Length].ToArray(), maxChecks, floor, tolerance, i =>
        {
            float original = values[i];
            float plus = (float)(original + eps);
            float minus = (float)(original - eps);
            values[i] = plus;
            double lossPlus = loss();
            values[i] = minus;
            double lossMinus = loss();
            values[i] = original;
            // The float rounding of original±eps is the real step: divide by it, not by 2·eps.
            return (lossPlus - lossMinus) / ((double)plus - minus);
        });
    }

    /// <summary>The verdict on one tensor: at most maxChecks elements spread evenly, each compared with its numeric
    /// derivative (null: skipped at a kink) by relative error with the given floor; the worst element is kept.</summary>
    /// <summary>The elements a check visits: one in each of `maxChecks` equal blocks, at a golden-ratio offset inside
    /// the block. An even stride that is a multiple of a weight matrix's row length would visit one column only
    /// (column 0 of every 256- or 512-wide layer): a blind spot for every other input unit.</summary>
    public static IEnumerable<int> Visited(int length, int maxChecks)
    {
        int count = Math.Min(length, maxChecks);
        for (int k = 0; k < count; k++)
        {
            long start = (long)k * length / count, end = (long)(k + 1) * length / count;
            double offset = k * 0.6180339887498949 % 1.0;
            yield return (int)(start + (long)(offset * (end - start)));
        }
    }

    private static TensorCheck Judge(string name, int length, float[] analytic, int maxChecks, double floor, double tolerance,
                                     Func<int, double?> numericAt)
    {
        int checkedCount = 0, skipped = 0, worstIndex = -1;
        double worstRelative = 0, worstAbsolute = 0, worstA = 0, worstN = 0;
        foreach (int i in Visited(length, maxChecks))
        {
            double? numeric = numericAt(i);
            if (numeric is null)
            {
                skipped++;   // a difference that straddles a kink measures the kink, not the gradient
                continue;
            }
            double a = analytic[i];
            double absolute = Math.Abs(a - numeric.Value);
            double relative = absolute / Math.Max(Math.Max(Math.Abs(a), Math.Abs(numeric.Value)), floor);
            if (double.IsNaN(relative))
            {
                relative = double.PositiveInfinity;
            }
            checkedCount++;
            worstAbsolute = Math.Max(worstAbsolute, double.IsNaN(absolute) ? double.PositiveInfinity : absolute);
            if (worstIndex < 0 || relative > worstRelative)
            {
                (worstRelative, worstIndex, worstA, worstN) = (relative, i, a, numeric.Value);
            }
        }
        return new TensorCheck(name, length, checkedCount, skipped, worstRelative, worstAbsolute, worstIndex, worstA, worstN, tolerance);
    }

    /// <summary>(4·D(h/2) − D(h)) / 3 for element `index` of tensor `tensor`, D(h) = (L(x + h) − L(x − h)) / 2h;
    /// null when any of the four evaluations fell on another side of a kink than the unperturbed loss.</summary>
    private static double? Richardson(IGradientSubject subject, int tensor, int index, double h, List<bool> baseSides, List<bool> sides)
    {
        double Difference(double step)
        {
            double plus = Evaluate(step), minus = Evaluate(-step);
            return (plus - minus) / (2 * step);
        }
        bool crossed = false;
        double Evaluate(double delta)
        {
            sides.Clear();
            double loss = subject.Loss(sides, new Nudge(tensor, index, delta));
            crossed |= !sides.SequenceEqual(baseSides);
            return loss;
        }
        double wide = Difference(h), narrow = Difference(h / 2);
        return crossed ? null : (4 * narrow - wide) / 3;
    }

    /// <summary>The console table and verdict line.</summary>
    public static void Write(GradientCheckReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var s = report.Settings;
        output.WriteLine(report.Description);
        output.WriteLine($"float32 backprop vs finite differences of a float64 forward on float64 parameters (centred, Richardson-extrapolated: (4 D(h/2) - D(h)) / 3);");
        output.WriteLine($"h {s.Eps:g3}, rel = |a - n| / max(|a|, |n|, floor = {s.FloorFraction:g2} x largest |gradient| = {report.Floor:0.0e+00}), tolerance {s.Tolerance:g3}, at most {s.MaxChecksPerTensor} elements per tensor;");
        output.WriteLine("elements whose +-eps moves a ReLU pre-activation across 0 or a TD error across +-delta are skipped (a difference across a kink is not a derivative).");
        output.WriteLine();
        output.WriteLine($"{"tensor",-18} {"elements",9} {"checked",8} {"skipped",8} {"max rel err",12} {"max abs err",12} {"worst: backprop",16} {"numeric",12}  verdict");
        foreach (TensorCheck t in report.Tensors)
        {
            output.WriteLine($"{t.Name,-18} {t.Elements,9} {t.Checked,8} {t.SkippedAtKinks,8} {t.MaxRelativeError,12:0.00e+00} {t.MaxAbsoluteError,12:0.00e+00} "
                             + $"{t.WorstAnalytic,16:0.0000e+00} {t.WorstNumeric,12:0.0000e+00}  {(t.Passed ? "PASS" : t.Checked == 0 ? "FAIL (nothing away from kinks)" : "FAIL")}");
        }
        output.WriteLine();
        int failed = report.Tensors.Count(t => !t.Passed);
        output.WriteLine(report.Passed
            ? $"PASS: all {report.Tensors.Count} tensors agree within {s.Tolerance:g3}."
            : $"FAIL: {failed} of {report.Tensors.Count} tensors disagree with finite differences (tolerance {s.Tolerance:g3}).");
    }
}
