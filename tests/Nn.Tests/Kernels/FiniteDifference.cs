using DqnStudy.Nn.Diagnostics;

namespace DqnStudy.Nn.Tests.Kernels;

/// <summary>Runs GradientChecker.CheckTensor on a tensor that lives inside a layer (a span, not an array): the check perturbs a
/// copy and writes it back before every loss evaluation.</summary>
public static class FiniteDifference
{
    public delegate Span<float> Tensor();

    /// <summary>float32 forward, double accumulation: eps 1e-2 and relative error ≤ 1e-2 (STYLE.md's float rule).</summary>
    public static void AssertGradient(string name, Tensor tensor, ReadOnlySpan<float> analytic, Func<double> loss,
                                      double eps = 1e-2, double tolerance = 1e-2)
    {
        TensorCheck result = CheckView(name, tensor, analytic, loss, eps, tolerance);
        Assert.True(result.Checked == result.Elements, $"{name}: checked {result.Checked} of {result.Elements}.");
        Assert.True(result.Passed,
            $"{name}: max relative error {result.MaxRelativeError:G3} at [{result.WorstIndex}] (abs {result.MaxAbsoluteError:G3}) > {tolerance}.");
    }

    /// <summary>Checks a tensor that lives in a live view: the loss copies the perturbed array into the view before
    /// each evaluation, and the view gets its values back afterwards.</summary>
    public static TensorCheck CheckView(string name, Tensor tensor, ReadOnlySpan<float> analytic, Func<double> loss,
                                        double eps = 1e-2, double tolerance = 1e-2, double floor = 1e-4)
    {
        float[] values = tensor().ToArray();
        float[] original = (float[])values.Clone();
        TensorCheck result = GradientChecker.CheckTensor(name, values, analytic, () =>
        {
            values.CopyTo(tensor());
            return loss();
        }, eps, tolerance, floor);
        original.CopyTo(tensor());
        return result;
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
