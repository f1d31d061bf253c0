using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Tests.Kernels;
using static DqnStudy.Nn.Tests.Kernels.FiniteDifference;

namespace DqnStudy.Nn.Tests.Layers;

public sealed class MlpGradientTests
{
    [Theory]
    [InlineData(Activation.Tanh, 1)]
    [InlineData(Activation.Tanh, 3)]
    [InlineData(Activation.Sigmoid, 1)]
    [InlineData(Activation.Sigmoid, 3)]
    [InlineData(Activation.Relu, 1)]
    [InlineData(Activation.Relu, 3)]
    [InlineData(Activation.LeakyRelu, 3)]
    public void EveryGradientMatchesFiniteDifferences(Activation activation, int batch)
    {
        var rng = new Random(21 + batch);
        var mlp = new Mlp(new ManagedBlas(), 4, [6, 5], 2, activation, batch);
        mlp.Initialize(InitScheme.TorchDefault, 1.0, rng);
        float[] x = FiniteDifference.Random(rng, batch * 4, 2.0);
        float[] dy = FiniteDifference.Random(rng, batch * 2);
        float[] dx = new float[x.Length];
        mlp.ZeroGrad();
        mlp.Forward(x, batch);
        mlp.Backward(dy, dx, batch);
        double Loss() => DoubleReference.MlpLoss(mlp, x, dy, batch);

        // eps 1e-3 keeps ReLU pre-activations from crossing 0 for this seed; a crossing would fail loudly.
        AssertGradient("dx", () => x, dx, Loss, LinearGradientTests.Eps, LinearGradientTests.Tolerance);
        foreach (Dense layer in mlp.DenseLayers)
        {
            Dense l = layer;
            AssertGradient(l.Name + ".weight", () => l.Weight, l.WeightGrad, Loss, LinearGradientTests.Eps, LinearGradientTests.Tolerance);
            AssertGradient(l.Name + ".bias", () => l.Bias, l.BiasGrad, Loss, LinearGradientTests.Eps, LinearGradientTests.Tolerance);
        }
    }

    [Fact]
    public void BackwardWithoutDxGivesTheSameParameterGradients()
    {
        var rng = new Random(2);
        var mlp = new Mlp(new ManagedBlas(), 3, [5], 2, Activation.Tanh, 2);
        mlp.Initialize(InitScheme.XavierUniform, 1.0, rng);
        float[] x = FiniteDifference.Random(rng, 6), dy = FiniteDifference.Random(rng, 4);
        mlp.Forward(x, 2);
        mlp.Backward(dy, new float[6], 2);
        float[] withDx = mlp.Parameters.Gradients.ToArray();
        mlp.ZeroGrad();
        mlp.Backward(dy, 2);
        Assert.Equal(withDx, mlp.Parameters.Gradients.ToArray());
    }
}
