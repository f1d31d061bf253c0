using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Instruments;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Agent.Tests.Instruments;

/// <summary>TrainingInstruments on hand-built networks whose readings are known.</summary>
public sealed class TrainingInstrumentsTests
{
    private static readonly InstrumentsConfig Config = new() { Enabled = true, ProbeSize = 64, SaturationThreshold = 0.01, DeadReluWarning = 0.4 };

    // in(2) → fc1(3) → act1 → fc2(1)
    private static Mlp Net(Activation function) =>
        new(new ManagedBlas(), [LayerSpec.Dense(3), LayerSpec.Act(function), LayerSpec.Dense(1)], inputSize: 2, maxBatch: 8);

    private static ReplayBuffer Buffer(int count)
    {
        var buffer = new ReplayBuffer(200, 2);
        var rng = new Random(7);
        for (int i = 0; i < count; i++)
        {
            float[] s = [(float)(rng.NextDouble() * 2 - 1), (float)(rng.NextDouble() * 2 - 1)];
            buffer.Add(s, s, 0, 0f, false, false);
        }
        return buffer;
    }

    /// <summary>One instrumented SGD update (the gradient is whatever the test put there), then a progress row.</summary>
    private static double[] UpdateAndRow(TrainingInstruments instruments, Mlp net, ReplayBuffer buffer, float lr, long step)
    {
        instruments.BeforeOptimizerStep(buffer);
        new Sgd(net.Parameters.Count, lr).Step(net.Parameters.Values, net.Parameters.Gradients);
        instruments.AfterOptimizerStep();
        var row = new double[instruments.Columns.Count];
        instruments.WriteRow(row, step);
        return row;
    }

    private static double Column(TrainingInstruments instruments, double[] row, string name) => row[instruments.Columns.ToList().IndexOf(name)];

    [Fact]
    public void Columns_AreNamedPerLayerInNetworkOrder()
    {
        var relu = new TrainingInstruments(Config, Net(Activation.Relu), 0);
        Assert.Equal(["grad_norm_w_fc1", "grad_norm_b_fc1", "update_ratio_fc1", "dead_share_act1", "inactive_share_act1",
                      "grad_norm_w_fc2", "grad_norm_b_fc2", "update_ratio_fc2"], relu.Columns);
        var sigmoid = new TrainingInstruments(Config, Net(Activation.Sigmoid), 0);
        Assert.Equal(["local_grad_act1", "saturated_share_act1"], sigmoid.Columns.Skip(3).Take(2));
        Assert.DoesNotContain(TrainingInstruments.ColumnsFor(Net(Activation.Identity)), c => c.EndsWith("act1", StringComparison.Ordinal));
    }

    [Fact]
    public void DeadReluWarning_FiresOnce_AndNamesTheLayerAndStep()
    {
        var net = Net(Activation.Relu);
        net.DenseLayers[0].Bias[0] = -100f;   // units 0 and 1 never fire: 67% dead ≥ 40%
        net.DenseLayers[0].Bias[1] = -100f;
        net.DenseLayers[0].Bias[2] = 100f;
        net.DenseLayers[0].Weight.Fill(0.1f);
        net.DenseLayers[1].Weight.Fill(0.1f);
        var log = new List<string>();
        var instruments = new TrainingInstruments(Config, net, 3, log.Add);
        var buffer = Buffer(100);

        double[] row = [];
        for (long step = 20_000; step <= 50_000; step += 10_000) row = UpdateAndRow(instruments, net, buffer, 1e-3f, step);

        string dead = Assert.Single(log, l => l.Contains("dead", StringComparison.Ordinal));
        Assert.StartsWith("seed 3, layer act1 (after fc1): 66.7% of ReLU units dead since step 20,000 (threshold 40%", dead);
        Assert.Equal(2.0 / 3, Column(instruments, row, "dead_share_act1"), 12);
        Assert.Equal(2.0 / 3, Column(instruments, row, "inactive_share_act1"), 12);
        Assert.Equal(64, instruments.Probe.Count);
    }

    [Fact]
    public void NegativeLeakyUnits_AreNotCalledDead()
    {
        var net = Net(Activation.LeakyRelu);
        net.DenseLayers[0].Bias[0] = -100f;
        net.DenseLayers[0].Bias[1] = -100f;
        net.DenseLayers[0].Bias[2] = 100f;
        net.DenseLayers[0].Weight.Fill(0.1f);
        net.DenseLayers[1].Weight.Fill(0.1f);
        var log = new List<string>();
        var instruments = new TrainingInstruments(Config, net, 3, log.Add);
        var buffer = Buffer(100);
        for (long step = 20_000; step <= 30_000; step += 10_000) UpdateAndRow(instruments, net, buffer, 1e-3f, step);

        string line = Assert.Single(log, l => l.Contains("leaky-ReLU", StringComparison.Ordinal));
        Assert.Contains("66.7% of leaky-ReLU units negative on every probe state", line);
        Assert.DoesNotContain("dead since", line);
    }

    [Fact]
    public void SaturatedSigmoid_WarnsOnce_AndHealthyOneDoesNot()
    {
        var net = Net(Activation.Sigmoid);
        float[] w = [500, 500, -500, 500, 500, -500];
        w.CopyTo(net.DenseLayers[0].Weight);
        net.DenseLayers[0].Bias.Fill(10f);   // keeps |pre-activation| far from 0 where x0 ≈ ±x1 would cancel
        var log = new List<string>();
        var instruments = new TrainingInstruments(Config, net, 0, log.Add);
        var buffer = Buffer(100);
        double[] row = UpdateAndRow(instruments, net, buffer, 1e-3f, 1000);
        UpdateAndRow(instruments, net, buffer, 1e-3f, 2000);

        Assert.True(Column(instruments, row, "saturated_share_act1") > 0.9);
        Assert.True(Column(instruments, row, "local_grad_act1") < 0.0025);
        string warning = Assert.Single(log, l => l.Contains("saturated", StringComparison.Ordinal));
        Assert.Contains("layer act1 (after fc1)", warning);
        Assert.Contains("sigmoid", warning);

        var healthy = Net(Activation.Sigmoid);   // zero weights: z = 0.5, local gradient 0.25
        var quiet = new List<string>();
        var healthyInstruments = new TrainingInstruments(Config, healthy, 0, quiet.Add);
        row = UpdateAndRow(healthyInstruments, healthy, buffer, 1e-3f, 1000);
        Assert.Equal(0.25, Column(healthyInstruments, row, "local_grad_act1"), 12);
        Assert.DoesNotContain(quiet, l => l.Contains("saturated", StringComparison.Ordinal));
    }

    [Fact]
    public void UpdateRatioAndGradientNorms_OfAKnownSgdStep_AreLoggedAndAHugeStepWarnsOnce()
    {
        var net = Net(Activation.Relu);
        net.DenseLayers[0].Weight.Fill(1f);                 // ||W1|| = √6
        net.DenseLayers[0].WeightGrad.Fill(2f);             // ||dW1|| = 2√6 → ratio = lr·2
        net.DenseLayers[0].BiasGrad[0] = 5f;
        net.DenseLayers[1].Weight.Fill(1f);                 // ||W2|| = √3
        net.DenseLayers[1].WeightGrad[0] = 1e-3f;           // ratio = lr·1e-3/√3
        var log = new List<string>();
        var instruments = new TrainingInstruments(Config, net, 0, log.Add);
        var buffer = Buffer(10);
        double[] row = UpdateAndRow(instruments, net, buffer, 0.5f, 1000);

        Assert.Equal(2 * Math.Sqrt(6), Column(instruments, row, "grad_norm_w_fc1"), 5);
        Assert.Equal(5.0, Column(instruments, row, "grad_norm_b_fc1"), 5);
        Assert.Equal(1.0, Column(instruments, row, "update_ratio_fc1"), 5);   // 0.5 · 2√6 / √6
        double expected = 0.5 * 1e-3 / Math.Sqrt(3);   // float weights: judge it relatively
        Assert.Equal(expected, Column(instruments, row, "update_ratio_fc2"), tolerance: expected * 1e-4);
        Assert.Equal(10, instruments.Probe.Count);   // the buffer held fewer than probe_size

        // Only the first update after a row is measured; the same huge ratio on the next row does not warn again.
        for (int i = 0; i < 3; i++)
        {
            net.DenseLayers[0].WeightGrad.Fill(2f);
            UpdateAndRow(instruments, net, buffer, 0.5f, 2000 + i * 1000);
        }
        string high = Assert.Single(log, l => l.Contains("learning rate may be too high", StringComparison.Ordinal));
        Assert.StartsWith("seed 0, layer fc1:", high);
    }

    [Fact]
    public void RowWithoutAMeasuredUpdate_IsEmpty_AndTheNextIntervalIsArmed()
    {
        var net = Net(Activation.Relu);
        var instruments = new TrainingInstruments(Config, net, 0);
        var row = new double[instruments.Columns.Count];
        instruments.WriteRow(row, 100);                     // before learning starts: nothing measured, no probe set
        Assert.All(row, v => Assert.True(double.IsNaN(v)));
        row = UpdateAndRow(instruments, net, Buffer(20), 0.1f, 200);
        Assert.False(double.IsNaN(Column(instruments, row, "grad_norm_w_fc1")));
        Assert.False(double.IsNaN(Column(instruments, row, "dead_share_act1")));
        instruments.WriteRow(row, 300);                     // no update in this interval
        Assert.True(double.IsNaN(Column(instruments, row, "grad_norm_w_fc1")));
        Assert.False(double.IsNaN(Column(instruments, row, "dead_share_act1")));
    }

    [Fact]
    public void GradientFallingMoreThan4xAcrossASigmoidLayer_Warns()
    {
        var net = Net(Activation.Sigmoid);
        net.DenseLayers[0].WeightGrad[0] = 1e-3f;
        net.DenseLayers[1].WeightGrad[0] = 1f;
        var log = new List<string>();
        var instruments = new TrainingInstruments(Config, net, 0, log.Add);
        UpdateAndRow(instruments, net, Buffer(10), 1e-3f, 1000);
        string fall = Assert.Single(log, l => l.Contains("weight-gradient norm", StringComparison.Ordinal));
        Assert.StartsWith("seed 0, layer fc1: weight-gradient norm", fall);
        Assert.Contains("smaller than fc2's", fall);

        var relu = Net(Activation.Relu);                    // no sigmoid between: the same fall does not warn
        relu.DenseLayers[0].WeightGrad[0] = 1e-3f;
        relu.DenseLayers[1].WeightGrad[0] = 1f;
        log.Clear();
        UpdateAndRow(new TrainingInstruments(Config, relu, 0, log.Add), relu, Buffer(10), 1e-3f, 1000);
        Assert.DoesNotContain(log, l => l.Contains("weight-gradient norm", StringComparison.Ordinal));
    }

    [Fact]
    public void SaveAndLoad_KeepTheProbeSetTheMeasurementAndTheFiredWarnings()
    {
        var net = Net(Activation.Relu);
        net.DenseLayers[0].Bias.Fill(-100f);
        var log = new List<string>();
        var first = new TrainingInstruments(Config, net, 0, log.Add);
        var buffer = Buffer(100);
        UpdateAndRow(first, net, buffer, 1e-3f, 1000);
        first.BeforeOptimizerStep(buffer);                  // a measured update whose row is not written yet
        first.AfterOptimizerStep();
        Assert.Single(log, l => l.Contains("dead", StringComparison.Ordinal));

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) first.Save(writer);
        stream.Position = 0;
        var second = new TrainingInstruments(Config, net, 0, log.Add);
        using (var reader = new BinaryReader(stream)) second.Load(reader);

        Assert.Equal(first.Probe.States.ToArray(), second.Probe.States.ToArray());
        var a = new double[first.Columns.Count];
        var b = new double[second.Columns.Count];
        first.WriteRow(a, 2000);
        second.WriteRow(b, 2000);
        Assert.Equal(a, b);
        Assert.Equal(1, log.Count(l => l.Contains("dead", StringComparison.Ordinal)));   // the loaded instance knows it already fired
    }

    [Fact]
    public void ProbeSet_IsDrawnFromTheRunSeed_NotFromTheTrainersRng()
    {
        var buffer = Buffer(150);
        var a = new ProbeSet(64, 2);
        var b = new ProbeSet(64, 2);
        var c = new ProbeSet(64, 2);
        a.Draw(buffer, 5);
        b.Draw(buffer, 5);
        c.Draw(buffer, 6);
        Assert.Equal(a.States.ToArray(), b.States.ToArray());
        Assert.NotEqual(a.States.ToArray(), c.States.ToArray());
        // Distinct slots: 64 different states (the buffer's states are all different).
        Assert.Equal(64, Enumerable.Range(0, 64).Select(i => (a.States[2 * i], a.States[2 * i + 1])).Distinct().Count());
    }
}
