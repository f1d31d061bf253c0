using DqnStudy.Agent.Config;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Tests.Config;

public sealed class ShippedConfigTests
{
    private static DqnConfig Load(string name) => ConfigLoader.Load(Path.Combine(Repo.ConfigsDir, name), knownEnvIds: DqnStudy.Environments.EnvironmentRegistry.Ids);

    [Fact]
    public void EveryShippedConfig_Loads()
    {
        string[] files = Directory.GetFiles(Repo.ConfigsDir, "*.yaml");
        Assert.True(files.Length >= 5, $"expected the shipped configs in {Repo.ConfigsDir}");
        foreach (string file in files)
        {
            DqnConfig config = ConfigLoader.Load(file, knownEnvIds: DqnStudy.Environments.EnvironmentRegistry.Ids);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Name);
        }
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("zoo-", "zoo-")]
    [InlineData("acrobot-", "acrobot-")]
    [InlineData("mountaincar-", "mountaincar-")]
    public void LossArms_DifferOnlyInTheLoss(string prefix, string name)
    {
        DqnConfig huber = Load(prefix + "huber.yaml");
        Assert.Equal(new LossConfig { Type = LossKind.Huber, Delta = 1.0 }, huber.Loss);
        Assert.Equal(huber with { Name = name + "clipped", Loss = new LossConfig { Type = LossKind.ClippedDelta, Delta = 1.0 } }, Load(prefix + "clipped.yaml"));
        Assert.Equal(huber with { Name = name + "mse", Loss = new LossConfig { Type = LossKind.Mse } }, Load(prefix + "mse.yaml"));
    }

    [Fact]
    public void ZooConfigs_CarryTheSb3Recipe()
    {
        DqnConfig huber = Load("zoo-huber.yaml");
        Assert.Equal([256, 256], huber.Network.HiddenSizes);
        Assert.Equal((ActivationKind.Relu, InitKind.TorchDefault), (huber.Network.Activation, huber.Network.Init));
        Assert.Equal((OptimizerKind.Adam, 2.3e-3, LrScheduleKind.Constant), (huber.Optimizer.Type, huber.Optimizer.LearningRate, huber.Optimizer.LrSchedule));
        Assert.Equal(Sb3CartPole, huber.Algorithm);
        Assert.Equal(10.0, huber.MaxGradNorm);
        Assert.Equal((50_000L, 5, 2500L, 10, 1000L), (huber.Training.TotalSteps, huber.Training.Seeds, huber.Training.EvalInterval,
            huber.Training.EvalEpisodes, huber.Training.LogInterval));
    }

    [Fact]
    public void HeadlineConfigs_AreTheSb3RecipeWithDoubleDqnAFallingLearningRateGamma097And512UnitsOver100kSteps()
    {
        DqnConfig huber = Load("huber.yaml"), zoo = Load("zoo-huber.yaml");
        Assert.Equal(zoo.Network with { HiddenSizes = [512, 512] }, huber.Network);
        Assert.Equal(zoo.Optimizer with { LrSchedule = LrScheduleKind.Linear, FinalLearningRate = 0.0 }, huber.Optimizer);
        Assert.Equal(Sb3CartPole with { DoubleDqn = true, Gamma = 0.97 }, huber.Algorithm);
        Assert.Equal((100_000L, 10, 5000L, 20), (huber.Training.TotalSteps, huber.Training.Seeds, huber.Training.EvalInterval, huber.Training.EvalEpisodes));
    }

    private static readonly DqnAlgorithmConfig Sb3CartPole = new()
    {
        Gamma = 0.99, BufferSize = 100_000, BatchSize = 64, LearningStarts = 1000, TrainFreq = 256, GradientSteps = 128,
        TargetUpdateInterval = 10, Tau = 1.0, ExplorationInitialEps = 1.0, ExplorationFinalEps = 0.04, ExplorationFraction = 0.16,
    };

    [Fact]
    public void CleanRlConfig_CarriesCleanRlDefaults()
    {
        DqnConfig c = Load("cleanrl-cartpole.yaml");
        Assert.Equal([120, 84], c.Network.HiddenSizes);
        Assert.Equal((OptimizerKind.Adam, 2.5e-4, LossKind.Mse, 0.0), (c.Optimizer.Type, c.Optimizer.LearningRate, c.Loss.Type, c.MaxGradNorm));
        Assert.Equal((128, 10_000, 10_000, 0.99, 10, 1, 500, 1.0), (c.Algorithm.BatchSize, c.Algorithm.BufferSize, c.Algorithm.LearningStarts, c.Algorithm.Gamma,
            c.Algorithm.TrainFreq, c.Algorithm.GradientSteps, c.Algorithm.TargetUpdateInterval, c.Algorithm.Tau));
        Assert.Equal((1.0, 0.05, 0.5), (c.Algorithm.ExplorationInitialEps, c.Algorithm.ExplorationFinalEps, c.Algorithm.ExplorationFraction));
        Assert.Equal((500_000L, 3, 10_000L, 10), (c.Training.TotalSteps, c.Training.Seeds, c.Training.EvalInterval, c.Training.EvalEpisodes));
    }

    [Fact]
    public void MinAtarConfigs_CarryMinAtarsRecipe_AndDifferOnlyInGameAndLoss()
    {
        DqnConfig b = Load("base-minatar.yaml");
        Assert.Equal(NetworkKind.Conv, b.Network.Type);
        Assert.Equal([new ConvLayerConfig { Filters = 16, Kernel = 3, Stride = 1, Padding = 0 }], b.Network.Conv);
        Assert.Equal([128], b.Network.HiddenSizes);
        Assert.Equal((ActivationKind.Relu, InitKind.TorchDefault), (b.Network.Activation, b.Network.Init));
        Assert.Equal(new OptimizerConfig { Type = OptimizerKind.Rmsprop, LearningRate = 2.5e-4, Alpha = 0.95, Eps = 0.01, Centered = true, Momentum = 0 },
                     b.Optimizer with { Beta1 = 0.9, Beta2 = 0.999, WeightDecay = 0 });
        Assert.Equal(new LossConfig { Type = LossKind.Huber, Delta = 1.0 }, b.Loss);
        Assert.Equal(0.0, b.MaxGradNorm);
        Assert.Equal(new DqnAlgorithmConfig
        {
            Gamma = 0.99, BufferSize = 100_000, BatchSize = 32, LearningStarts = 5000, TrainFreq = 1, GradientSteps = 1,
            TargetUpdateInterval = 1000, Tau = 1.0, ExplorationInitialEps = 1.0, ExplorationFinalEps = 0.1, ExplorationSteps = 100_000,
            ExplorationAfterLearningStarts = true, ReplayObservations = ReplayStorage.Bits,
        }, b.Algorithm);
        Assert.Equal(("0.1", "true"), (b.EnvKwargs["sticky_action_prob"], b.EnvKwargs["difficulty_ramping"]));

        foreach ((string game, string id) in new[] { ("asterix", "Asterix"), ("breakout", "Breakout"), ("freeway", "Freeway"),
                                                     ("seaquest", "Seaquest"), ("space-invaders", "SpaceInvaders") })
        {
            foreach ((string suffix, LossKind loss) in new[] { ("huber", LossKind.Huber), ("clipped", LossKind.ClippedDelta), ("mse", LossKind.Mse) })
            {
                string name = $"minatar-{game}-{suffix}";
                DqnConfig c = Load(name + ".yaml");
                Assert.Equal(b with { Name = name, EnvId = $"MinAtar/{id}-v0", Loss = b.Loss with { Type = loss } }, c);
            }
        }
    }
}
