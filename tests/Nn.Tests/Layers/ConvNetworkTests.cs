using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Tests.Kernels;
using static DqnStudy.Nn.Tests.Kernels.FiniteDifference;

namespace DqnStudy.Nn.Tests.Layers;

/// <summary>An Mlp with a convolutional stem: MinAtar's layout, names as torch's, shape errors, the flatten as a
/// reshape, gradients of the whole network, and torch's default init for a convolution.</summary>
public sealed class ConvNetworkTests
{
    public static LayerSpec[] MinAtar(int actions) =>
    [
        LayerSpec.Conv2d(16, 3), LayerSpec.Act(Activation.Relu), LayerSpec.Flatten(),
        LayerSpec.Dense(128), LayerSpec.Act(Activation.Relu), LayerSpec.Dense(actions),
    ];

    [Fact]
    public void MinAtarsNetworkIsLaidOutAndNamedAsTorch()
    {
        var network = new Mlp(new ManagedBlas(), MinAtar(3), new ImageShape(4, 10, 10), 32);
        Assert.Equal(["conv1", "act1", "flatten1", "fc1", "act2", "fc2"], network.Layers.Select(l => l.Name));
        Assert.Equal(["conv1.weight", "conv1.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
                     network.Parameters.Views.Select(v => v.Name));
        Assert.Equal((16, 36), (network.Parameters.Views[0].Rows, network.Parameters.Views[0].Cols));
        Assert.Equal(16 * 36 + 16 + 1024 * 128 + 128 + 128 * 3 + 3, network.Parameters.Count);
        Assert.Equal(400, network.InputSize);
        Assert.Equal(new ImageShape(4, 10, 10), network.InputImage);
        Assert.Equal(3, network.OutputSize);
        Assert.Equal(1024, network.DenseLayers[0].InputSize);
        Assert.Single(network.ConvLayers);
        Assert.Equal("4×10×10 → conv 16 3×3 → relu → flatten → fc 128 → relu → fc 3", network.Describe());
        network.ConvLayers[0].Weight[0] = 7f;
        Assert.Equal(7f, network.Parameters.Values[0]);   // a view, not a copy
    }

    [Fact]
    public void FlattenMovesNoData()
    {
        var network = new Mlp(new ManagedBlas(), MinAtar(3), new ImageShape(4, 10, 10), 2);
        network.Initialize(InitScheme.TorchDefault, 1.0, new Random(1));
        var rng = new Random(2);
        float[] x = FiniteDifference.Random(rng, 800);
        network.Forward(x, 2);
        Assert.True(SameMemory(network.Layers[1].Output, network.Layers[2].Output), "the flatten's output is the relu's buffer");
        network.Backward(FiniteDifference.Random(rng, 6), 2);
        Assert.True(SameMemory(network.InputGradient(2, 2), network.InputGradient(3, 2)), "the flatten's input gradient is fc1's");
        Assert.Throws<InvalidOperationException>(() => network.Layers[2].Forward(new float[2 * 1024], 2));
    }

    [Fact]
    public void AStandAloneFlattenCopiesInTorchOrder()
    {
        var flatten = new FlattenLayer("flatten", new ImageShape(2, 2, 3), 1);
        float[] x = [.. Enumerable.Range(0, 12).Select(i => (float)i)];
        Assert.Equal(x, flatten.Forward(x, 1).ToArray());
        float[] dx = new float[12];
        flatten.Backward(x, dx, 1);
        Assert.Equal(x, dx);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EveryGradientOfAConvNetworkMatchesFiniteDifferences(int batch)
    {
        // Two convolutions (stride and padding in the second), tanh to stay away from kinks, flatten, two dense layers.
        LayerSpec[] specs =
        [
            LayerSpec.Conv2d(4, 3), LayerSpec.Act(Activation.Tanh),
            LayerSpec.Conv2d(3, new ConvWindow(2, 3, 2, 1, 1, 0)), LayerSpec.Act(Activation.Tanh), LayerSpec.Flatten(),
            LayerSpec.Dense(5), LayerSpec.Act(Activation.Tanh), LayerSpec.Dense(2),
        ];
        var rng = new Random(41 + batch);
        var network = new Mlp(new ManagedBlas(), specs, new ImageShape(2, 7, 6), batch);
        network.Initialize(InitScheme.TorchDefault, 1.0, rng);
        float[] x = FiniteDifference.Random(rng, batch * network.InputSize);
        float[] dy = FiniteDifference.Random(rng, batch * 2);
        float[] dx = new float[x.Length];
        network.ZeroGrad();
        network.Forward(x, batch);
        network.Backward(dy, dx, batch);
        double Loss() => DoubleReference.MlpLoss(network, x, dy, batch);
        AssertGradient("dx", () => x, dx, Loss, LinearGradientTests.Eps, Conv2dTests.Tolerance);
        foreach (Conv2dLayer layer in network.ConvLayers)
        {
            Conv2dLayer l = layer;
            AssertGradient(l.Name + ".weight", () => l.Weight, l.WeightGrad, Loss, LinearGradientTests.Eps, Conv2dTests.Tolerance);
            AssertGradient(l.Name + ".bias", () => l.Bias, l.BiasGrad, Loss, LinearGradientTests.Eps, Conv2dTests.Tolerance);
        }
        foreach (Dense layer in network.DenseLayers)
        {
            Dense l = layer;
            AssertGradient(l.Name + ".weight", () => l.Weight, l.WeightGrad, Loss, LinearGradientTests.Eps, Conv2dTests.Tolerance);
            AssertGradient(l.Name + ".bias", () => l.Bias, l.BiasGrad, Loss, LinearGradientTests.Eps, Conv2dTests.Tolerance);
        }
    }

    [Fact]
    public void TorchDefaultInitDrawsConvWeightsAndBiasFromOneOverRootFanIn()
    {
        var network = new Mlp(new ManagedBlas(), [LayerSpec.Conv2d(64, 3), LayerSpec.Flatten(), LayerSpec.Dense(2)], new ImageShape(10, 5, 5), 1);
        network.Initialize(InitScheme.TorchDefault, 1.0, new Random(3));
        Conv2dLayer conv = network.ConvLayers[0];
        float bound = 1f / MathF.Sqrt(10 * 3 * 3);   // fan_in = C·kH·kW = 90, for W and for b (torch's Conv2d.reset_parameters)
        float[] w = conv.Weight.ToArray(), b = conv.Bias.ToArray();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.All(b, v => Assert.InRange(v, -bound, bound));
        double variance = w.Average(v => (double)v * v);
        Assert.InRange(variance, 0.9 * bound * bound / 3, 1.1 * bound * bound / 3);   // U(±a): a²/3
        Assert.True(b.Max(Math.Abs) > 0.5 * bound, "the bias is drawn, not zeroed");
        float fcBound = 1f / MathF.Sqrt(64 * 3 * 3);
        Assert.All(network.DenseLayers[0].Weight.ToArray(), v => Assert.InRange(v, -fcBound, fcBound));

        network.Initialize(InitScheme.KaimingNormal, 1.0, new Random(3));
        Assert.InRange(conv.Weight.ToArray().Average(v => (double)v * v), 0.9 * 2.0 / 90, 1.1 * 2.0 / 90);
        Assert.All(conv.Bias.ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(new[] { "dense" }, "layers[0] (fc1) gets 4×10×10 images; put a flatten layer before it")]
    [InlineData(new[] { "flatten", "conv" }, "layers[1] (conv1) needs an image input (channels, height, width) but gets vectors of 400")]
    [InlineData(new[] { "flatten", "flatten" }, "layers[1] (flatten2) needs an image input but gets vectors of 400")]
    [InlineData(new[] { "bigconv" }, "layers[0] (conv1) cannot convolve 4×10×10 images with 16 filters 11×11: kernelH is 11 but the padded input is only 10")]
    [InlineData(new[] { "conv", "conv", "conv", "conv", "bigconv" }, "layers[4] (conv5) cannot convolve 16×2×2 images with 16 filters 11×11: kernelH is 11 but the padded input is only 2")]
    public void ShapeErrorsNameTheLayerAndTheShapes(string[] kinds, string message)
    {
        LayerSpec[] specs = [.. kinds.Select(kind => kind switch
        {
            "dense" => LayerSpec.Dense(3),
            "flatten" => LayerSpec.Flatten(),
            "conv" => LayerSpec.Conv2d(16, 3),
            _ => LayerSpec.Conv2d(16, 11),
        })];
        var e = Assert.ThrowsAny<ArgumentException>(() => new Mlp(new ManagedBlas(), specs, new ImageShape(4, 10, 10), 1));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AConvLayerOnAVectorInputIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Mlp(new ManagedBlas(), [LayerSpec.Conv2d(4, 3)], 100, 1));
        Assert.Contains("needs an image input", e.Message);
    }

    [Fact]
    public void CloneAndTargetUpdatesCoverConvParameters()
    {
        var online = new Mlp(new ManagedBlas(), MinAtar(6), new ImageShape(4, 10, 10), 2);
        online.Initialize(InitScheme.TorchDefault, 1.0, new Random(1));
        Mlp target = online.Clone();
        float[] x = FiniteDifference.Random(new Random(2), 800);
        Assert.Equal(online.Forward(x, 2).ToArray(), target.Forward(x, 2).ToArray());
        online.ConvLayers[0].Weight[5] += 1f;
        target.CopyParametersFrom(online);
        Assert.Equal(online.ConvLayers[0].Weight.ToArray(), target.ConvLayers[0].Weight.ToArray());
        var other = new Mlp(new ManagedBlas(), [LayerSpec.Conv2d(16, 3, padding: 1), .. MinAtar(6)[1..]], new ImageShape(4, 10, 10), 2);
        Assert.Throws<ArgumentException>(() => target.CopyParametersFrom(other));
    }

    private static bool SameMemory(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        Unsafe.AreSame(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b));
}
