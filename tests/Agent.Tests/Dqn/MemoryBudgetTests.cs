using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Dqn;

/// <summary>The up-front memory estimate follows what the learners really allocate, and names the key to lower.</summary>
public sealed class MemoryBudgetTests
{
    [Theory]
    [InlineData("mlp", "adam", 200_000, "[256, 256]", 64)]
    [InlineData("mlp", "rmsprop", 10_000, "[1024, 512]", 512)]
    [InlineData("lstm", "adam", 50_000, "[128, 64]", 32)]
    [InlineData("rnn", "sgd", 50_000, "[256]", 64)]
    public void TheEstimateIsWithinAFactorOfTwoOfWhatALearnerAllocates(string type, string optimizer, int buffer, string hidden, int batch)
    {
        using var run = new TinyRun();
        var config = run.Load($"network.type={type}", $"optimizer.type={optimizer}", $"dqn.buffer_size={buffer}",
                              $"network.hidden_sizes={hidden}", $"dqn.batch_size={batch}", $"dqn.learning_starts={batch}");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var learner = DqnTrainer.CreateLearner(config, new ManagedBlas(), [4], 2, 0, _ => { });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(learner);

        double estimate = MemoryBudget.Estimate(config, 4, 2).SeedBytes;
        Assert.True(estimate >= 0.9 * allocated && estimate <= 2.0 * allocated,
                    $"estimate {estimate:N0} bytes, allocated {allocated:N0} bytes");
    }

    [Fact]
    public void ReplayIsCountedPerTransition()
    {
        using var run = new TinyRun();
        var budget = MemoryBudget.Estimate(run.Load("dqn.buffer_size=1000"), 4, 2);
        Assert.Equal(1000 * (2 * 4 * 4 + 13), budget.ReplayBytes);
    }

    [Fact]
    public void TooLargeForTheMachineNamesTheKeyTheNeedAndWhatIsAvailable()
    {
        using var run = new TinyRun();
        var config = run.Load("dqn.buffer_size=100000000");
        string? message = MemoryBudget.Check(config, 4, 2, 1, availableBytes: 2L << 30);
        Assert.NotNull(message);
        Assert.StartsWith("dqn.buffer_size: a replay buffer of 100,000,000 transitions need 4.2 GB per seed", message);
        Assert.Contains("but this machine has 2.0 GB available", message);
        Assert.Null(MemoryBudget.Check(config, 4, 2, 1, availableBytes: 8L << 30));
        // Seeds trained at once multiply it, and the message says what to lower.
        Assert.Contains("or --parallel", MemoryBudget.Check(config, 4, 2, 4, availableBytes: 8L << 30));

        string? wide = MemoryBudget.Check(run.Load("network.hidden_sizes=[40000, 40000]"), 4, 2, 1, availableBytes: 8L << 30);
        Assert.StartsWith("network.hidden_sizes: networks of hidden sizes [40000, 40000]", wide);
    }

    [Fact]
    public void MoreThanOneArrayHoldsIsRefusedEvenWithTheMemory()
    {
        using var run = new TinyRun();
        string? message = MemoryBudget.Check(run.Load("dqn.buffer_size=1000000000"), 4, 2, 1, availableBytes: long.MaxValue);
        Assert.StartsWith("dqn.buffer_size: the config asks for 4,000,000,000 floats in one array", message);
    }
}
