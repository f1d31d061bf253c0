using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Kernels;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Nn.Tests.Kernels;

/// <summary>
/// The scalar L = Σ f(x)·dy in double for the kernel and layer gradient tests, with f evaluated by the one float64
/// forward (<see cref="DoubleForward"/>, STYLE.md's "a double copy of the managed kernel") on the float parameters
/// the core holds. Finite differences of it carry no float32 rounding noise of the forward itself.
/// </summary>
public static class DoubleReference
{
    /// <summary>L = Σ f(x)·dy in double, f = the whole network as it stands.</summary>
    public static double MlpLoss(Mlp mlp, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int batch) =>
        Dot(DoubleForward.Mlp(mlp, DoubleForward.Parameters(mlp), DoubleForward.ToDouble(x[..(batch * mlp.InputSize)]), batch, kinkSides: null), dy);

    public static double DenseLoss(Dense layer, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int batch) =>
        Dot(DoubleForward.Linear(DoubleForward.ToDouble(x[..(batch * layer.InputSize)]), DoubleForward.ToDouble(layer.Weight),
                                 DoubleForward.ToDouble(layer.Bias), batch, layer.InputSize, layer.OutputSize), dy);

    public static double Conv2dLoss(Conv2dLayer layer, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int batch) =>
        Dot(DoubleForward.Conv2d(DoubleForward.ToDouble(x[..(batch * layer.InputSize)]), DoubleForward.ToDouble(layer.Weight),
                                 DoubleForward.ToDouble(layer.Bias), batch, layer.Shape), dy);

    public static double ActivationLoss(Activation function, float slope, ReadOnlySpan<float> x, ReadOnlySpan<float> dy) =>
        Dot(DoubleForward.Activate(DoubleForward.ToDouble(x), function, slope, kinkSides: null), dy);

    private static double Dot(double[] y, ReadOnlySpan<float> dy)
    {
        Assert.Equal(y.Length, dy.Length);
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += y[i] * dy[i];
        }
        return sum;
    }
}
