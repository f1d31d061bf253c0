using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Nn.Tests.Diagnostics;

/// <summary>The probes on a conv stem: dead units per feature map, and gradient norms and update ratios of the
/// convolution measured on its own parameters.</summary>
public sealed class ConvProbeTests
{
    // 1×4×4 → conv 3 filters 3×3 (→ 3×2×2) → relu → flatten → fc 2
    private static Mlp Net() => new(new ManagedBlas(),
        [LayerSpec.Conv2d(3, 3), LayerSpec.Act(Activation.Relu), LayerSpec.Flatten(), LayerSpec.Dense(2)],
        new ImageShape(1, 4, 4), maxBatch: 8);

    [Fact]
    public void DeadShareByMap_CountsEachFeatureMapsDeadPositions()
    {
        Mlp net = Net();
        Conv2dLayer conv = net.ConvLayers[0];
        // Map 0: weight +1 at the window's top-left, bias 0 → active wherever that input is > 0.
        // Map 1: bias −100 → dead everywhere. Map 2: bias +1 → active everywhere.
        conv.Weight.Clear();
        conv.Weight[0] = 1f;
        conv.Bias[0] = 0f;
        conv.Bias[1] = -100f;
        conv.Bias[2] = 1f;
        // One state: only input (0, 1) is positive → map 0 active at output position (0, 1) only.
        var state = new float[16];
        state[1] = 1f;

        var probe = new ActivationProbe(net, 0.01);
        probe.Run(state, 1);

        ActivationStats act = Assert.Single(probe.Layers);
        Assert.Equal(("act1", "conv1", 3), (act.Name, act.After, act.FeatureMaps));
        Assert.Equal([0.75, 1.0, 0.0], act.DeadShareByMap);
        Assert.Equal(7.0 / 12, act.DeadShare, 12);
    }

    [Fact]
    public void WeightedLayers_AreConvThenDense_AndTheProbeMeasuresTheConvOnItsOwnParameters()
    {
        Mlp net = Net();
        net.Initialize(Init.InitScheme.TorchDefault, 1.0, new Random(1));
        Assert.Equal(["conv1", "fc1"], net.WeightedLayers.Select(l => l.Name));

        var states = new float[8 * 16];
        var random = new Random(2);
        for (int i = 0; i < states.Length; i++) states[i] = random.Next(2);
        net.ZeroGrad();
        net.Forward(states, 8);
        net.Backward(Enumerable.Repeat(1f, 16).ToArray(), 8);

        var probe = new DenseProbe(net);
        probe.BeforeStep();
        double expected = Math.Sqrt(net.ConvLayers[0].WeightGrad.ToArray().Sum(g => (double)g * g));
        Assert.Equal(expected, probe.Layers[0].WeightGradNorm, 5);
        float[] before = net.ConvLayers[0].Weight.ToArray();
        // Move only conv1.weight by 1% of each value: its ratio is 0.01, fc1's 0.
        Span<float> w = net.ConvLayers[0].Weight;
        for (int i = 0; i < w.Length; i++) w[i] *= 1.01f;
        probe.AfterStep();
        Assert.Equal(0.01, probe.Layers[0].UpdateRatio, 4);
        Assert.Equal(0.0, probe.Layers[1].UpdateRatio);
        Assert.NotEqual(before, net.ConvLayers[0].Weight.ToArray());
    }
}
