using DqnStudy.Agent.Config;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Tests.Config;

public sealed class ConfigWriterTests
{
    public static TheoryData<string> ShippedConfigs => new(Directory.GetFiles(Repo.ConfigsDir, "*.yaml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void ShippedConfig_RoundTripsThroughYaml(string file)
    {
        DqnConfig config = ConfigLoader.Load(Path.Combine(Repo.ConfigsDir, file));
        AssertRoundTrips(config);
    }

    [Fact]
    public void UnusualValues_RoundTrip()
    {
        var config = new DqnConfig
        {
            Name = "odd.name-1",
            EnvId = "Weird Env: \"quoted\" #1",
            EnvKwargs = new ValueMap([new("p", "0.5"), new("mode", "true"), new("text", "a b: c"), new("q-2", "1e-05"), new("yes", "no")]),
            Network = new NetworkConfig { Type = NetworkKind.Lstm, HiddenSizes = [3], Activation = ActivationKind.LeakyRelu, Init = InitKind.KaimingNormal, InitScale = 1e-7 },
            Loss = new LossConfig { Type = LossKind.DeepMindClamp, Delta = 0.1 + 0.2 },
            Optimizer = new OptimizerConfig { Type = OptimizerKind.DeepmindRmsprop, LearningRate = 2.5e-4, Centered = true, Eps = 1e-300 },
            Algorithm = new DqnAlgorithmConfig { Gamma = 1.0 / 3.0, DoubleDqn = true, Tau = 0.005 },
            Training = new TrainingConfig { TotalSteps = 5_000_000_000, EvalInterval = 0, EvalEpisodes = 0 },
            Blas = BlasMode.Managed,
        };
        AssertRoundTrips(config);
    }

    [Fact]
    public void Yaml_HasEveryKey_InModelOrder_AndFloatsLookLikeFloats()
    {
        string yaml = ConfigWriter.ToYaml(new DqnConfig { Name = "x" });
        Assert.StartsWith("name: x\nenv_id: CartPole-v1\nenv_kwargs: {}\nnetwork:\n  type: mlp\n  hidden_sizes: [64, 64]\n", yaml);
        Assert.Contains("  learning_rate: 0.0001\n", yaml);
        Assert.Contains("  eps: 1.0e-08\n", yaml);
        Assert.Contains("max_grad_norm: 10.0\n", yaml);
        Assert.DoesNotContain("extends", yaml);
        int last = -1;
        foreach (string leaf in ConfigSchema.LeafPaths)
        {
            string key = leaf[(leaf.LastIndexOf('.') + 1)..] + ":";
            int at = yaml.IndexOf(key, last + 1, StringComparison.Ordinal);
            Assert.True(at > last, $"{leaf} missing or out of order");
            last = at;
        }
    }

    [Fact]
    public void Diff_ListsExactlyTheDifferingKeys()
    {
        DqnConfig huber = ConfigLoader.Load(Path.Combine(Repo.ConfigsDir, "huber.yaml"));
        DqnConfig clipped = ConfigLoader.Load(Path.Combine(Repo.ConfigsDir, "clipped.yaml"));
        Assert.Equal([("name", "huber", "clipped"), ("loss.type", "huber", "clipped_delta")], Pairs(huber, clipped));
        Assert.Empty(ConfigDiff.Diff(huber, huber with { }));

        DqnConfig changed = huber with
        {
            EnvKwargs = new ValueMap([new("p", "0.5")]),
            Network = huber.Network with { HiddenSizes = [32] },
            Algorithm = huber.Algorithm with { Gamma = 0.9 },
        };
        Assert.Equal(
            [("env_kwargs.p", "(unset)", "0.5"), ("network.hidden_sizes", "[512, 512]", "[32]"), ("dqn.gamma", "0.97", "0.9")],
            Pairs(huber, changed));
        Assert.Equal([("env_kwargs.p", "0.5", "(unset)"), ("network.hidden_sizes", "[32]", "[512, 512]"), ("dqn.gamma", "0.9", "0.97")],
            Pairs(changed, huber));
    }

    private static (string, string, string)[] Pairs(DqnConfig a, DqnConfig b) =>
        ConfigDiff.Diff(a, b).Select(d => (d.Key, d.Values[0], d.Values[1])).ToArray();

    private static void AssertRoundTrips(DqnConfig config)
    {
        using var dir = new TempConfigDir();
        string yaml = ConfigWriter.ToYaml(config);
        DqnConfig reloaded = ConfigLoader.Load(dir.Write("roundtrip.yaml", yaml));
        Assert.True(config == reloaded, $"round trip changed: {string.Join("; ", ConfigDiff.Diff(config, reloaded))}\n{yaml}");
        Assert.Equal(yaml, ConfigWriter.ToYaml(reloaded));
    }
}
