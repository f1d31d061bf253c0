using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Dqn;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void LinearGoesFromLearningRateToFinalOverTheRunThenStays()
    {
        var optimizer = new OptimizerConfig { LearningRate = 2e-3, LrSchedule = LrScheduleKind.Linear, FinalLearningRate = 1e-3 };
        var schedule = new LearningRateSchedule(optimizer, 1000);
        Assert.Equal(2e-3, schedule.At(0), 15);
        Assert.Equal(1.5e-3, schedule.At(500), 15);
        Assert.Equal(1e-3, schedule.At(1000), 15);
        Assert.Equal(1e-3, schedule.At(5000), 15);
    }

    [Fact]
    public void ConstantIgnoresTheFinalRate()
    {
        var optimizer = new OptimizerConfig { LearningRate = 2e-3, FinalLearningRate = 0 };
        Assert.Equal(2e-3, new LearningRateSchedule(optimizer, 1000).At(999), 15);
    }

    [Fact]
    public void TheTrainerFollowsTheSchedule()
    {
        using var run = new TinyRun();
        float[] Train(string name, params string[] overrides)
        {
            using var trainer = new DqnTrainer(run.Load(overrides), 0, run.SeedFolder(name), new ManagedBlas());
            trainer.Run(CancellationToken.None);
            return ((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Values.ToArray();
        }
        float[] constant = Train("constant");
        // A linear schedule that ends where it starts is the constant rate; one that falls to 0 is not.
        Assert.Equal(constant, Train("flat", "optimizer.lr_schedule=linear", "optimizer.final_learning_rate=1.0e-3"));
        Assert.NotEqual(constant, Train("falling", "optimizer.lr_schedule=linear", "optimizer.final_learning_rate=0"));
    }
}
