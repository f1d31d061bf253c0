using DqnStudy.Agent.Dqn;

namespace DqnStudy.Agent.Tests.Dqn;

public sealed class EpsilonScheduleTests
{
    [Fact]
    public void FallsLinearlyThenStays()
    {
        var schedule = new EpsilonSchedule(1.0, 0.05, 1000);
        Assert.Equal(1.0, schedule.At(0));
        Assert.Equal(0.525, schedule.At(500), 12);
        Assert.Equal(0.05, schedule.At(1000));
        Assert.Equal(0.05, schedule.At(10_000));
    }

    [Fact]
    public void ZeroDurationIsTheFinalValueAtOnce()
    {
        Assert.Equal(0.1, new EpsilonSchedule(1.0, 0.1, 0).At(0));
    }

    [Fact]
    public void ADelayHoldsTheStartThenFallsOverTheDuration_AsMinAtarAfterReplayStart()
    {
        // MinAtar: ε = 1 until frame 5,000, then 1.0 → 0.1 over the next 100,000 frames.
        var schedule = new EpsilonSchedule(1.0, 0.1, 100_000, delay: 5000);
        Assert.Equal(1.0, schedule.At(0));
        Assert.Equal(1.0, schedule.At(5000));
        Assert.Equal(0.55, schedule.At(55_000), 12);
        Assert.Equal(0.1, schedule.At(105_000));
    }

    [Fact]
    public void ForTheConfig_UsesExplorationStepsAndLearningStarts()
    {
        var config = new DqnStudy.Agent.Config.DqnConfig
        {
            Algorithm = new DqnStudy.Agent.Config.DqnAlgorithmConfig
            {
                LearningStarts = 5000, ExplorationSteps = 100_000, ExplorationAfterLearningStarts = true, ExplorationFinalEps = 0.1,
            },
        };
        var schedule = EpsilonSchedule.For(config);
        Assert.Equal((100_000L, 5000L), (schedule.Duration, schedule.Delay));
        var sb3 = EpsilonSchedule.For(config with { Algorithm = config.Algorithm with { ExplorationSteps = 0, ExplorationAfterLearningStarts = false } });
        Assert.Equal((10_000L, 0L), (sb3.Duration, sb3.Delay));   // exploration_fraction 0.1 of total_steps 100,000
    }
}
