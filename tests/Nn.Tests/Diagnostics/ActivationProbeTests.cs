using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Nn.Tests.Diagnostics;

public sealed class ActivationProbeTests
{
    // in(2) → fc1(width) → act1 → fc2(1)
    private static Mlp Net(Activation function, int width, int maxBatch) =>
        new(new ManagedBlas(), [LayerSpec.Dense(width), LayerSpec.Act(function), LayerSpec.Dense(1)], inputSize: 2, maxBatch: maxBatch);

    private static float[] States(int count, int seed)
    {
        var rng = new Random(seed);
        var states = new float[count * 2];
        for (int i = 0; i < states.Length; i++) states[i] = (float)(rng.NextDouble() * 2 - 1);
        return states;
    }

    [Fact]
    public void SigmoidWithHugeWeights_IsFullySaturated_WithLocalGradientNearZero()
    {
        var net = Net(Activation.Sigmoid, 3, maxBatch: 16);
        Dense fc1 = net.DenseLayers[0];
        // |pre-activation| ≥ 400·0.5 for inputs with |x0| ≥ 0.5: far past the |x| > 6 saturation edge.
        float[] w = [400, 0, -400, 0, 400, 0];
        w.CopyTo(fc1.Weight);
        var states = States(100, 1);
        for (int n = 0; n < 100; n++) states[2 * n] = states[2 * n] >= 0 ? 0.5f + states[2 * n] : -0.5f + states[2 * n];

        var probe = new ActivationProbe(net, 0.01);
        probe.Run(states, 100);

        ActivationStats act = Assert.Single(probe.Layers);
        Assert.Equal("act1", act.Name);
        Assert.Equal("fc1", act.After);
        Assert.Equal(1.0, act.SaturatedShare);
        Assert.True(act.MeanLocalGradient < 1e-30, $"mean local gradient {act.MeanLocalGradient}");
        Assert.True(double.IsNaN(act.DeadShare));
    }

    [Fact]
    public void SigmoidWithZeroWeights_IsUnsaturated_WithTheMaximumLocalGradient()
    {
        var net = Net(Activation.Sigmoid, 3, maxBatch: 16);   // zero weights: z = 0.5 everywhere
        var probe = new ActivationProbe(net, 0.01);
        probe.Run(States(40, 2), 40);
        Assert.Equal(0.0, probe.Layers[0].SaturatedShare);
        Assert.Equal(0.25, probe.Layers[0].MeanLocalGradient, 12);
    }

    [Fact]
    public void Tanh_LocalGradientAndSaturation_MatchHandComputedValues()
    {
        // One unit, pre-activation = x0: states x0 = 0 (1 − tanh² = 1) and x0 = 4 (1 − tanh²(4) ≈ 1.34e-3 < 0.01).
        var net = new Mlp(new ManagedBlas(), [LayerSpec.Dense(1), LayerSpec.Act(Activation.Tanh), LayerSpec.Dense(1)], 2, 4);
        net.DenseLayers[0].Weight[0] = 1f;
        var probe = new ActivationProbe(net, 0.01);
        probe.Run([0f, 0f, 4f, 0f], 2);
        double t = Math.Tanh(4);
        Assert.Equal((1 + (1 - t * t)) / 2, probe.Layers[0].MeanLocalGradient, 6);
        Assert.Equal(0.5, probe.Layers[0].SaturatedShare);
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    public void UnitWithLargeNegativeBias_IsDead_AndOneWithLargePositiveBiasIsNot(Activation function)
    {
        var net = Net(function, 3, maxBatch: 16);
        Dense fc1 = net.DenseLayers[0];
        float[] w = [0.5f, -0.5f, 0.5f, -0.5f, 0.5f, 0.5f];
        w.CopyTo(fc1.Weight);
        fc1.Bias[0] = -100f;   // never fires for |x| ≤ 1
        fc1.Bias[1] = 100f;    // always fires
        fc1.Bias[2] = -100f;   // never fires

        var probe = new ActivationProbe(net, 0.01);
        probe.Run(States(300, 3), 300);

        ActivationStats act = probe.Layers[0];
        Assert.Equal(2.0 / 3, act.DeadShare, 12);       // units 0 and 2, not unit 1
        Assert.Equal(2.0 / 3, act.InactiveShare, 12);   // units 0 and 2 on every state, unit 1 on none
        Assert.True(double.IsNaN(act.SaturatedShare));
    }

    [Fact]
    public void InactiveShare_OfAKnownInput_CountsNonPositivePreActivations_AcrossChunks()
    {
        // fc1 = identity, no bias: the pre-activations are the states themselves.
        var states = new float[] { 1, -1, -2, 3, 0, 5, -4, -6, -7, 0 };   // 5 states: inactive -1, -2, 0, -4, -6, -7, 0
        foreach (int maxBatch in new[] { 2, 5, 8 })
        {
            var net = Net(Activation.Relu, 2, maxBatch);
            net.DenseLayers[0].Weight[0] = 1f;
            net.DenseLayers[0].Weight[3] = 1f;
            var probe = new ActivationProbe(net, 0.01);
            probe.Run(states, 5);
            Assert.Equal(7.0 / 10, probe.Layers[0].InactiveShare, 12);
            Assert.Equal(0.0, probe.Layers[0].DeadShare);   // both units fire on some state
        }
    }

    [Fact]
    public void DeadShare_ForgetsThePreviousRun()
    {
        var net = Net(Activation.Relu, 1, maxBatch: 4);
        net.DenseLayers[0].Weight[0] = 1f;
        var probe = new ActivationProbe(net, 0.01);
        probe.Run([1f, 0f], 1);
        Assert.Equal(0.0, probe.Layers[0].DeadShare);
        probe.Run([-1f, 0f], 1);
        Assert.Equal(1.0, probe.Layers[0].DeadShare);
    }

    [Fact]
    public void BadInput_NamesTheArgumentAndSizes()
    {
        var net = Net(Activation.Relu, 2, maxBatch: 4);
        var probe = new ActivationProbe(net, 0.01);
        var e = Assert.Throws<ArgumentException>(() => probe.Run(new float[5], 3));
        Assert.Contains("states", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActivationProbe(net, 1.5));
    }

    [Fact]
    public void RunAllocatesNothing()
    {
        var net = Net(Activation.Sigmoid, 8, maxBatch: 16);
        var probe = new ActivationProbe(net, 0.01);
        var states = States(100, 4);
        probe.Run(states, 100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        probe.Run(states, 100);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
