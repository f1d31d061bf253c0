using DqnStudy.Nn.Layers;
using static DqnStudy.Nn.Tests.Kernels.FiniteDifference;

namespace DqnStudy.Nn.Tests.Kernels;

public sealed class ActivationGradientTests
{
    [Theory]
    [InlineData(Activation.Identity, 1)]
    [InlineData(Activation.Relu, 1)]
    [InlineData(Activation.LeakyRelu, 1)]
    [InlineData(Activation.Sigmoid, 1)]
    [InlineData(Activation.Tanh, 1)]
    [InlineData(Activation.Identity, 3)]
    [InlineData(Activation.Relu, 3)]
    [InlineData(Activation.LeakyRelu, 3)]
    [InlineData(Activation.Sigmoid, 3)]
    [InlineData(Activation.Tanh, 3)]
    public void DxMatchesFiniteDifferences(Activation function, int batch)
    {
        const int width = 9;
        var rng = new Random(3 + batch);
        float[] x = FiniteDifference.Random(rng, batch * width, 3.0);
        for (int i = 0; i < x.Length; i++)
        {
            // Keep away from the ReLU kink at 0: |x| ≥ 0.2 ≫ eps = 1e-3.
            x[i] = MathF.CopySign(MathF.Max(MathF.Abs(x[i]), 0.2f), x[i]);
        }
        float[] dy = FiniteDifference.Random(rng, batch * width);
        float[] dx = new float[x.Length];
        var layer = new ActivationLayer("act1", function, width, batch, slope: 0.1f);
        layer.Forward(x, batch);
        layer.Backward(dy, dx, batch);
        AssertGradient("dx", () => x, dx, () => DoubleReference.ActivationLoss(function, 0.1f, x, dy),
                       LinearGradientTests.Eps, LinearGradientTests.Tolerance);
    }

    [Fact]
    public void ReluAndLeakyReluFollowTorchAtZero()
    {
        float[] x = [0f, -0f];
        float[] dy = [2f, 3f];
        float[] dx = new float[2];
        var relu = new ActivationLayer("a", Activation.Relu, 2, 1);
        relu.Forward(x, 1);
        relu.Backward(dy, dx, 1);
        Assert.Equal([0f, 0f], dx);
        var leaky = new ActivationLayer("a", Activation.LeakyRelu, 2, 1, 0.25f);
        leaky.Forward(x, 1);
        leaky.Backward(dy, dx, 1);
        Assert.Equal([0.5f, 0.75f], dx);
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    [InlineData(Activation.Sigmoid)]
    [InlineData(Activation.Tanh)]
    public void NaNPropagatesAsInTorch(Activation function)
    {
        var layer = new ActivationLayer("a", function, 9, 1);
        float[] x = new float[9];
        x[8] = float.NaN;   // in the scalar tail and, for 9 > Vector<float>.Count, after a full vector
        x[0] = float.NaN;
        ReadOnlySpan<float> y = layer.Forward(x, 1);
        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[8]), "a diverged activation must stay visible, not become 0");
    }

    [Fact]
    public void SaturatedSigmoidPassesNoGradient()
    {
        float[] x = [40f, 400f, -400f];
        float[] dx = new float[3];
        var sigmoid = new ActivationLayer("a", Activation.Sigmoid, 3, 1);
        sigmoid.Forward(x, 1);
        sigmoid.Backward([1f, 1f, 1f], dx, 1);
        Assert.Equal([0f, 0f, 0f], dx);
    }
}
