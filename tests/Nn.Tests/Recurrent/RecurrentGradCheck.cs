using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Tests.Kernels;

namespace DqnStudy.Nn.Tests.Recurrent;

/// <summary>Shared pieces of the recurrent finite-difference tests (float forward, loss summed in double).</summary>
internal static class RecurrentGradCheck
{
    // Float32 forward: eps 1e-2 keeps the float rounding of the loss (~1e-6) well under the step;
    // gradients below the floor are judged absolutely (|a − n| ≤ 1e-4), so rounding cannot fail tiny entries
    // while a wrong sign or a missing term still gives a relative error near 1 or 2 on the larger ones.
    public const double Eps = 1e-2;
    public const double Tolerance = 1e-2;
    public const double Floor = 1e-2;

    public static float[] Uniform(Random rng, int count, double bound)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)((rng.NextDouble() * 2 - 1) * bound);
        }
        return values;
    }

    /// <summary>L = Σ output·upstream, in double (FORMAT.md's scalar).</summary>
    public static double Dot(ReadOnlySpan<float> output, ReadOnlySpan<float> upstream)
    {
        double sum = 0;
        for (int i = 0; i < upstream.Length; i++)
        {
            sum += (double)output[i] * upstream[i];
        }
        return sum;
    }

    /// <summary>Checks a parameter view: the loss copies the perturbed array into the live view before each evaluation.</summary>
    public static TensorCheck CheckView(string name, Func<Span<float>> view, ReadOnlySpan<float> analytic, Func<double> loss) =>
        FiniteDifference.CheckView(name, () => view(), analytic, loss, Eps, Tolerance, Floor);

    public static TensorCheck CheckArray(string name, float[] values, ReadOnlySpan<float> analytic, Func<double> loss) =>
        GradientChecker.CheckTensor(name, values, analytic, loss, Eps, Tolerance, Floor);

    public static void AssertAll(string label, IEnumerable<TensorCheck> results)
    {
        var list = results.ToList();
        string report = string.Join("; ", list.Select(r =>
            $"{r.Name}: rel {r.MaxRelativeError:E2} at {r.WorstIndex} ({r.Checked} checked){(r.Passed ? "" : " FAIL")}"));
        Assert.True(list.All(r => r.Passed), $"{label}: {report}");
        Assert.All(list, r => Assert.True(r.Checked > 0, $"{label}: {r.Name} checked nothing."));
    }
}
