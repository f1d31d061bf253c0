using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Tests.EndToEnd;

/// <summary>The conv learner on MinAtar (a few hundred frames of base-minatar.yaml's recipe, shrunk): conv parameters
/// learn and are measured, bit storage and the delayed ε schedule are in the loop, and interrupt-and-resume is exact.</summary>
public sealed class MinAtarTrainerTests
{
    internal const string Yaml = """
        name: tiny-minatar
        env_id: MinAtar/Breakout-v0
        network:
          type: conv
          conv: [{filters: 4, kernel: 3, stride: 1, padding: 0}]
          hidden_sizes: [16]
          activation: relu
        optimizer: { type: rmsprop, learning_rate: 2.5e-3, alpha: 0.95, eps: 0.01, centered: true }
        loss: { type: huber }
        max_grad_norm: 0.0
        dqn:
          buffer_size: 500
          batch_size: 8
          learning_starts: 100
          train_freq: 1
          gradient_steps: 1
          target_update_interval: 50
          exploration_final_eps: 0.1
          exploration_steps: 200
          exploration_after_learning_starts: true
          replay_observations: bits
        training:
          total_steps: 600
          seeds: 1
          eval_interval: 300
          eval_episodes: 2
          log_interval: 100
          checkpoint_interval: 200
        instruments: { enabled: true, probe_size: 64 }
        blas: managed
        """;

    private static TinyRun NewRun()
    {
        var run = new TinyRun();
        File.WriteAllText(run.ConfigPath, Yaml);
        return run;
    }

    private static RunStatus Train(TinyRun run, string name, long? stopAt = null, bool resume = false, float[]? weightsOut = null,
                                   float[]? initialOut = null)
    {
        DqnConfig config = run.Load();
        using var trainer = new DqnTrainer(config, 0, run.SeedFolder(name), new ManagedBlas());
        ((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Values.CopyTo(initialOut ?? new float[((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Count]);
        var status = trainer.Run(CancellationToken.None, resume, until: stopAt);
        ((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Values.CopyTo(weightsOut ?? new float[((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Count]);
        return status;
    }

    private static int ParameterCount(TinyRun run)
    {
        var net = DqnComponents.CreateNetwork(run.Load(), new ManagedBlas(), [4, 10, 10], 6, 1, 0);
        Assert.Equal("4×10×10 → conv 4 3×3 → relu → flatten → fc 16 → relu → fc 6", net.Describe());
        return net.Parameters.Count;
    }

    [Fact]
    public void ConvLayersLearnAndAreMeasuredLikeDenseOnes()
    {
        using var run = NewRun();
        var before = new float[ParameterCount(run)];
        var after = new float[before.Length];
        Assert.Equal(RunStatus.Completed, Train(run, "a", weightsOut: after, initialOut: before));

        // conv1.weight (4·4·3·3 values) comes first in the parameter block and has moved.
        Assert.NotEqual(before.AsSpan(0, 144).ToArray(), after.AsSpan(0, 144).ToArray());

        string[] lines = File.ReadAllLines(Path.Combine(run.SeedFolder("a"), "progress.csv"));
        string[] header = lines[0].Split(',');
        double Value(int row, string column) => double.Parse(lines[row].Split(',')[Array.IndexOf(header, column)], System.Globalization.CultureInfo.InvariantCulture);
        foreach (string column in new[] { "grad_norm_conv1", "grad_norm_fc1", "grad_norm_fc2", "grad_norm_w_conv1", "update_ratio_conv1",
                                          "dead_share_act1", "dead_share_act1_map0", "dead_share_act1_map3", "dead_share_act2" })
            Assert.Contains(column, header);
        Assert.DoesNotContain("dead_share_act2_map0", header);   // act2 follows a Dense layer: no feature maps
        // Row 2 is step 200: learning started at 100. The conv layer's gradient and update are real numbers above 0,
        // and the global norm includes it: grad_norm² = Σ per-layer norms² (per-layer values are interval means, so
        // only for an interval mean of one update would it be exact; check the inequality that always holds).
        Assert.True(Value(2, "grad_norm_conv1") > 0, "grad_norm_conv1");
        Assert.True(Value(2, "update_ratio_conv1") > 0, "update_ratio_conv1");
        Assert.InRange(Value(2, "dead_share_act1_map0"), 0, 1);
        // ε: 1 until learning_starts, then 1 → 0.1 over 200 steps. A row logs the ε of its last action, taken at
        // step − 1: row 1 (step 100) 1.0, row 2 (step 200) 1 − 0.9·99/200, row 4 (step 400) 0.1.
        Assert.Equal(1.0, Value(1, "epsilon"), 12);
        Assert.Equal(0.5545, Value(2, "epsilon"), 6);
        Assert.Equal(0.1, Value(4, "epsilon"), 12);
    }

    [Theory]
    [InlineData(333)]   // mid-episode, mid-interval
    [InlineData(200)]   // on a checkpoint and log boundary
    [InlineData(101)]   // just after learning starts
    public void InterruptedAndResumedRunEqualsAnUninterruptedOne(long stopAt)
    {
        using var run = NewRun();
        run.AssertInterruptedAndResumedEqualsUninterrupted(ParameterCount(run), stopAt,
            (name, stop, resume, weightsOut) => Train(run, name, stopAt: stop, resume: resume, weightsOut: weightsOut));
    }

    [Fact]
    public void ConvShapeProblemsNameTheLayerAndTheSizes()
    {
        using var run = NewRun();
        NetworkConfig net = run.Load().Network;
        Assert.Null(ConvNetworkLayout.Problem(net, [4, 10, 10], "MinAtar/Breakout-v0"));

        string? big = ConvNetworkLayout.Problem(net with { Conv = [new ConvLayerConfig { Filters = 4, Kernel = 11 }] }, [4, 10, 10], "MinAtar/Breakout-v0");
        Assert.NotNull(big);
        Assert.StartsWith("network.conv[0] (filters 4, kernel 11, stride 1, padding 0) cannot take MinAtar/Breakout-v0's 4×10×10 observations", big);

        // The second layer gets the first one's 4×4 output (10 → stride 2 → 4): a 5×5 kernel cannot fit.
        string? second = ConvNetworkLayout.Problem(net with
        {
            Conv = [new ConvLayerConfig { Filters = 8, Kernel = 3, Stride = 2 }, new ConvLayerConfig { Filters = 8, Kernel = 5 }],
        }, [4, 10, 10], "MinAtar/Breakout-v0");
        Assert.NotNull(second);
        Assert.StartsWith("network.conv[1] (filters 8, kernel 5, stride 1, padding 0) cannot take the 8×4×4 images network.conv[0] makes", second);

        // Padding makes the same kernel fit.
        Assert.Null(ConvNetworkLayout.Problem(net with { Conv = [new ConvLayerConfig { Filters = 4, Kernel = 11, Padding = 1 }] }, [4, 10, 10], "x"));

        string? flat = ConvNetworkLayout.Problem(net, [4], "CartPole-v1");
        Assert.Equal("network.type: conv needs (channels, height, width) observations, but CartPole-v1 gives shape (4); use type: mlp.", flat);
    }
}
