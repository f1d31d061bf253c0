using DqnStudy.Nn.Diagnostics;

namespace DqnStudy.Nn.Tests.Kernels;

/// <summary>Runs GradCheck on a tensor that lives inside a layer (a span, not an array): the check perturbs a
/// copy and writes it back before every loss evaluation.</summary>
public static class FiniteDifference
{
    public delegate Span<float> Tensor();

    /// <summary>float32 forward, double accumulation: eps 1e-2 and relative error ≤ 1e-2 (STYLE.md's float rule).</summary>
    public static void AssertGradient(string name, Tensor tensor, ReadOnlySpan<float> analytic, Func<double> loss,
                                      double eps = 1e-2, double tolerance = 1e-2)
    {
        float[] values = tensor().ToArray();
        float[] original = (float[])values.Clone();
        GradCheckResult result = GradCheck.Check(name, values, analytic, () =>
        {
            values.CopyTo(tensor());
            return loss();
        }, eps, tolerance);
        original.CopyTo(tensor());
        Assert.True(result.Checked == values.Length, $"{name}: checked {result.Checked} of {values.Length}.");
        Assert.True(result.Passed,
            $"{name}: max relative error {result.MaxRelativeError:G3} at [{result.WorstIndex}] (abs {result.MaxAbsoluteError:G3}) > {tolerance}.");
    }

    /// <summary>L = Σ y·dy in double: the scalar whose gradient with respect to y is dy.</summary>
    public static double Dot(ReadOnlySpan<float> y, ReadOnlySpan<float> dy)
    {
        double sum = 0;
        for (int i = 0; i < dy.Length; i++)
        {
            sum += (double)y[i] * dy[i];
        }
        return sum;
    }

    public static float[] Random(Random rng, int count, double scale = 1.0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((2 * rng.NextDouble() - 1) * scale);
        }
        return values;
    }
}
