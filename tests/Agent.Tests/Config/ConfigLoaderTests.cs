using DqnStudy.Agent.Config;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Tests.Config;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void AConfigWithOneKey_GivesDefaultsForTheRest_AndTheFileNameAsName()
    {
        using var dir = new TempConfigDir();
        DqnConfig config = ConfigLoader.Load(dir.Write("plain.yaml", "# nothing else here\nenv_id: CartPole-v1\n"));
        Assert.Equal(new DqnConfig { Name = "plain" }, config);
        Assert.Equal(0.99, config.Algorithm.Gamma);
        Assert.Equal([64, 64], config.Network.HiddenSizes);
    }

    [Fact]
    public void Extends_ChildOverridesParent_MapsMergeDeeply_ListsAreReplaced()
    {
        using var dir = new TempConfigDir();
        dir.Write("grand.yaml", "name: grand\nnetwork:\n  hidden_sizes: [1, 2, 3]\n  activation: tanh\ndqn:\n  gamma: 0.5\n  batch_size: 8\n");
        dir.Write("sub/parent.yaml", "extends: ../grand.yaml\ndqn:\n  gamma: 0.9\nenv_kwargs: {p: 0.5, q: x}\n");
        string child = dir.Write("sub/child.yaml", "extends: parent.yaml\nnetwork:\n  hidden_sizes: [7]\ndqn:\n  learning_starts: 8\nenv_kwargs: {q: y}\n");

        DqnConfig config = ConfigLoader.Load(child);

        Assert.Equal("child", config.Name);                        // a parent's name is not inherited
        Assert.Equal([7], config.Network.HiddenSizes);              // list replaced, not appended
        Assert.Equal(ActivationKind.Tanh, config.Network.Activation); // sibling from grandparent survives
        Assert.Equal(0.9, config.Algorithm.Gamma);                        // parent over grandparent
        Assert.Equal(8, config.Algorithm.BatchSize);
        Assert.Equal(8, config.Algorithm.LearningStarts);
        Assert.Equal(new ValueMap([new("p", "0.5"), new("q", "y")]), config.EnvKwargs);
        Assert.Equal(100_000, config.Algorithm.BufferSize);               // untouched default
    }

    [Fact]
    public void Overrides_ApplyAfterExtends_InOrder_WithYamlValues()
    {
        using var dir = new TempConfigDir();
        string path = dir.Write("x.yaml", "dqn:\n  gamma: 0.5\n");
        DqnConfig config = ConfigLoader.Load(path,
        [
            "dqn.gamma=0.9", "network.hidden_sizes=[32,32]", "network={activation: sigmoid}", "dqn.gamma=0.95",
            "env_kwargs.p=0.25", "name=renamed", "loss.type=clipped_delta", "dqn.double_dqn=true", "training.total_steps=2e5",
        ]);
        Assert.Equal(0.95, config.Algorithm.Gamma);
        Assert.Equal([32, 32], config.Network.HiddenSizes);
        Assert.Equal(ActivationKind.Sigmoid, config.Network.Activation);
        Assert.Equal("0.25", config.EnvKwargs["p"]);
        Assert.Equal("renamed", config.Name);
        Assert.Equal(LossKind.ClippedDelta, config.Loss.Type);
        Assert.True(config.Algorithm.DoubleDqn);
        Assert.Equal(200_000, config.Training.TotalSteps);
    }

    [Fact]
    public void AllErrorsOfAFile_AreReportedTogether()
    {
        using var dir = new TempConfigDir();
        string path = dir.Write("many.yaml", "dqn:\n  gama: 0.9\n  batch_size: -1\noptimizer:\n  learning_rate: -1\nnetwork:\n  activation: relux\n");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, ["training.seedz=3"]));
        Assert.Equal(5, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.KeyPath == "dqn.gama" && e.Line == 2 && e.Column == 3);
        Assert.Contains(ex.Errors, e => e.KeyPath == "dqn.batch_size" && e.Line == 3);
        Assert.Contains(ex.Errors, e => e.KeyPath == "optimizer.learning_rate" && e.Line == 5);
        Assert.Contains(ex.Errors, e => e.KeyPath == "network.activation" && e.Line == 7);
        Assert.Contains(ex.Errors, e => e.File == "--set" && e.KeyPath == "training.seedz");
        Assert.Contains("5 config errors", ex.Message);
    }

    [Fact]
    public void ErrorInAParent_NamesTheParentFile()
    {
        using var dir = new TempConfigDir();
        dir.Write("parent.yaml", "dqn:\n  tau: 2.0\n");
        string child = dir.Write("child.yaml", "extends: parent.yaml\n");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(child));
        ConfigError error = Assert.Single(ex.Errors);
        Assert.EndsWith("parent.yaml", error.File);
        Assert.Equal((2, 8), (error.Line, error.Column)); // range errors point at the value
        Assert.EndsWith("parent.yaml:2:8: dqn.tau: must be in (0, 1] (1 = hard copy), got 2", error.ToString());
    }

    [Fact]
    public void Resolve_FindsShippedConfigsByName_WithOrWithoutExtension()
    {
        string expected = Path.Combine(Repo.ConfigsDir, "huber.yaml");
        Assert.Equal(expected, ConfigLoader.Resolve("huber.yaml"));
        Assert.Equal(expected, ConfigLoader.Resolve("huber"));
        Assert.Equal(expected, ConfigLoader.Resolve(expected));
    }

    [Fact]
    public void Resolve_Missing_ListsWhereItLooked()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Resolve("no-such-config.yaml"));
        ConfigError error = Assert.Single(ex.Errors);
        Assert.Contains("config file not found; looked for:", error.Message);
        Assert.Contains(Path.Combine(Repo.ConfigsDir, "no-such-config.yaml"), error.Message);
        Assert.Throws<ConfigException>(() => ConfigLoader.Load("no-such-config.yaml"));
    }

    [Fact]
    public void ErrorToString_HasFileLineColumnKeyAndMessage()
    {
        var error = new ConfigError("configs/x.yaml", "dqn.gama", "unknown key; did you mean 'gamma'?", 12, 3);
        Assert.Equal("configs/x.yaml:12:3: dqn.gama: unknown key; did you mean 'gamma'?", error.ToString());
        Assert.Equal("--set: bad", new ConfigError("--set", "", "bad", null, null).ToString());
    }

    [Fact]
    public void ManyEnvKwargsUpToTheSizeLimitLoad_EveryKeyKept()
    {
        // Duplicate checks and lookups are indexed: 50,000 keys load in linear time (they took minutes when each key
        // was compared with every earlier one); the environment, not the loader, then refuses unknown kwargs.
        using var dir = new TempConfigDir();
        string yaml = "env_id: CartPole-v1\nenv_kwargs:\n" + string.Concat(Enumerable.Range(0, 50_000).Select(i => $"  k{i}: {i}\n"));
        DqnConfig config = ConfigLoader.Load(dir.Write("many.yaml", yaml), ["env_kwargs.k7=x"]);
        Assert.Equal(50_000, config.EnvKwargs.Count);
        Assert.Equal("49999", config.EnvKwargs["k49999"]);
        Assert.Equal("x", config.EnvKwargs["k7"]);
    }
}
