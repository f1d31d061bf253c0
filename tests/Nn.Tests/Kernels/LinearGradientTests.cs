using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using static DqnStudy.Nn.Tests.Kernels.FiniteDifference;

namespace DqnStudy.Nn.Tests.Kernels;

public sealed class LinearGradientTests
{
    // The loss is evaluated in double (DoubleReference), so only the float32 analytic gradient limits accuracy.
    public const double Eps = 1e-3;
    public const double Tolerance = 1e-4;

    [Theory]
    [InlineData(1, 4, 3)]
    [InlineData(3, 5, 7)]
    [InlineData(3, 1, 1)]
    public void DenseGradientsMatchFiniteDifferences(int batch, int inFeatures, int outFeatures)
    {
        var rng = new Random(11 + batch);
        var layer = new Dense("fc1", new ManagedBlas(), inFeatures, outFeatures, batch);
        Initializers.Apply(InitScheme.TorchDefault, layer.Weight, layer.Bias, inFeatures, outFeatures, 1.0, rng);
        float[] x = FiniteDifference.Random(rng, batch * inFeatures);
        float[] dy = FiniteDifference.Random(rng, batch * outFeatures);
        float[] dx = new float[batch * inFeatures];
        layer.Forward(x, batch);
        layer.Backward(dy, dx, batch);
        double Loss() => DoubleReference.DenseLoss(layer, x, dy, batch);

        AssertGradient("dx", () => x, dx, Loss, Eps, Tolerance);
        AssertGradient("dW", () => layer.Weight, layer.WeightGrad, Loss, Eps, Tolerance);
        AssertGradient("db", () => layer.Bias, layer.BiasGrad, Loss, Eps, Tolerance);
    }

    [Fact]
    public void BackwardAccumulatesParameterGradientsAndOverwritesDx()
    {
        var rng = new Random(5);
        var layer = new Dense("fc1", new ManagedBlas(), 3, 2, 2);
        Initializers.Apply(InitScheme.TorchDefault, layer.Weight, layer.Bias, 3, 2, 1.0, rng);
        float[] x = FiniteDifference.Random(rng, 6), dy = FiniteDifference.Random(rng, 4);
        float[] dx = new float[6];
        layer.Forward(x, 2);
        layer.Backward(dy, dx, 2);
        float[] once = layer.WeightGrad.ToArray(), dxOnce = (float[])dx.Clone();
        float[] bOnce = layer.BiasGrad.ToArray();
        layer.Backward(dy, dx, 2);
        for (int i = 0; i < once.Length; i++)
        {
            Assert.Equal(2 * once[i], layer.WeightGrad[i], 5);
        }
        Assert.Equal(bOnce.Select(v => 2 * v), layer.BiasGrad.ToArray());
        Assert.Equal(dxOnce, dx);
    }
}
