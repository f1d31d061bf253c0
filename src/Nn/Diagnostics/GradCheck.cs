namespace DqnStudy.Nn.Diagnostics;

/// <summary>The outcome of comparing one tensor's backprop gradient with centred finite differences.</summary>
public sealed record GradCheckResult(
    string Name, int Checked, double MaxRelativeError, double MaxAbsoluteError, int WorstIndex,
    double Tolerance)
{
    public bool Passed => MaxRelativeError <= Tolerance;
}

/// <summary>
/// Centred finite differences against an analytic gradient (CS231n's recipe):
/// rel = |a - n| / max(|a|, |n|, floor), so tiny gradients are judged absolutely.
/// The loss is always evaluated and accumulated in double; pass float parameters with a
/// float-sized eps (about 1e-2 .. 1e-3) and a loose tolerance, or double parameters with eps 1e-6.
/// </summary>
public static class GradCheck
{
    /// <summary>Perturbs values[i] by ±eps, calls loss() (which must read values), compares with analytic[i].
    /// Checks at most maxChecks elements, spread evenly over the tensor.</summary>
    public static GradCheckResult Check(string name, float[] values, ReadOnlySpan<float> analytic, Func<double> loss,
                                        double eps = 1e-2, double tolerance = 1e-2, double floor = 1e-4,
                                        int maxChecks = int.MaxValue)
    {
        Shapes.Require(analytic, values.Length, nameof(analytic));
        var worst = new Worst();
        int stride = Math.Max(1, values.Length / Math.Max(1, maxChecks));
        int checkedCount = 0;
        for (int i = 0; i < values.Length; i += stride)
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
            double numeric = (lossPlus - lossMinus) / ((double)plus - minus);
            worst.Observe(i, analytic[i], numeric, floor);
            checkedCount++;
        }
        return new GradCheckResult(name, checkedCount, worst.Relative, worst.Absolute, worst.Index, tolerance);
    }

    /// <summary>Double-precision variant for double reference implementations (eps about 1e-6, tolerance about 1e-6).</summary>
    public static GradCheckResult Check(string name, double[] values, ReadOnlySpan<double> analytic, Func<double> loss,
                                        double eps = 1e-6, double tolerance = 1e-6, double floor = 1e-8,
                                        int maxChecks = int.MaxValue)
    {
        if (analytic.Length != values.Length)
        {
            throw new ArgumentException($"{nameof(analytic)} has {analytic.Length} elements but values has {values.Length}.", nameof(analytic));
        }
        var worst = new Worst();
        int stride = Math.Max(1, values.Length / Math.Max(1, maxChecks));
        int checkedCount = 0;
        for (int i = 0; i < values.Length; i += stride)
        {
            double original = values[i];
            values[i] = original + eps;
            double lossPlus = loss();
            values[i] = original - eps;
            double lossMinus = loss();
            values[i] = original;
            worst.Observe(i, analytic[i], (lossPlus - lossMinus) / (2 * eps), floor);
            checkedCount++;
        }
        return new GradCheckResult(name, checkedCount, worst.Relative, worst.Absolute, worst.Index, tolerance);
    }

    private struct Worst
    {
        public double Relative;
        public double Absolute;
        public int Index;

        public void Observe(int index, double analytic, double numeric, double floor)
        {
            double absolute = Math.Abs(analytic - numeric);
            double relative = absolute / Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric)), floor);
            if (double.IsNaN(relative) || relative > Relative)
            {
                Relative = double.IsNaN(relative) ? double.PositiveInfinity : relative;
                Index = index;
            }
            Absolute = Math.Max(Absolute, absolute);
        }
    }
}
