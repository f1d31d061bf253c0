using System.Text.Json;
using DqnStudy.Agent.Dqn;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.EndToEnd;

public sealed class TrainerTests
{
    /// <param name="faulty">a BLAS that poisons the second dense layer's weight gradient (else the managed one).</param>
    private static RunStatus Train(TinyRun run, string name, long? stopAt = null, bool resume = false,
                                   FaultyBlas? faulty = null, float[]? weightsOut = null)
    {
        var config = run.Load();
        using var trainer = new DqnTrainer(config, 0, run.SeedFolder(name), faulty ?? (IBlas)new ManagedBlas());
        var learner = (MlpLearner)trainer.Learner;
        if (faulty is not null) faulty.Target = () => learner.OnlineNetwork.DenseLayers[1].WeightGrad;
        var status = trainer.Run(CancellationToken.None, resume, until: stopAt);
        learner.OnlineNetwork.Parameters.Values.CopyTo(weightsOut ?? new float[learner.OnlineNetwork.Parameters.Count]);
        return status;
    }

    [Fact]
    public void WritesAllFiveRunFilesAndACheckpoint()
    {
        using var run = new TinyRun();
        Assert.Equal(RunStatus.Completed, Train(run, "a"));
        string folder = run.SeedFolder("a");
        foreach (string file in new[] { "monitor.csv", "progress.csv", "eval.csv", "summary.json", "checkpoint.bin" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);

        var monitor = File.ReadAllLines(Path.Combine(folder, "monitor.csv"));
        Assert.StartsWith("#{\"t_start\":", monitor[0]);
        Assert.Contains("\"env_id\":\"CartPole-v1\"", monitor[0]);
        Assert.Equal("r,l,t", monitor[1]);
        Assert.True(monitor.Length > 5);
        // Every finished episode has a row: the lengths add up to at most the 600 steps taken, and the last
        // episode still running at step 600 (if any) is shorter than CartPole's 500-step limit.
        int logged = monitor.Skip(2).Sum(l => int.Parse(l.Split(',')[1]));
        Assert.InRange(600 - logged, 0, 499);

        var progress = File.ReadAllLines(Path.Combine(folder, "progress.csv"));
        Assert.Equal(7, progress.Length); // header + steps 100..600
        Assert.StartsWith("steps,updates,episodes,epsilon,loss,mean_q", progress[0]);
        Assert.Contains("grad_norm_fc1", progress[0]);

        var eval = File.ReadAllLines(Path.Combine(folder, "eval.csv"));
        Assert.Equal(["300", "600"], eval.Skip(1).Select(l => l.Split(',')[0]));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal(600, root.GetProperty("total_steps").GetInt64());
        Assert.Equal("managed", root.GetProperty("blas").GetString());
        Assert.Equal("huber", root.GetProperty("loss").GetString());
        Assert.Equal(monitor.Length - 2, root.GetProperty("episodes").GetInt64());
        foreach (string key in new[] { "env_id", "seed", "episodes", "final_eval_return_mean", "final_eval_return_std",
                                       "last100_train_return_mean", "steps_per_second", "wall_seconds" })
            Assert.True(root.TryGetProperty(key, out _), key);
        // Updates: every 4 steps after step 100, 2 gradient steps each.
        Assert.Equal((600 - 100) / 4 * 2, root.GetProperty("updates").GetInt64());
    }

    [Fact]
    public void SameConfigAndSeedGiveBitIdenticalResults()
    {
        using var run = new TinyRun();
        var w1 = new float[run.LoadParameterCount()];
        var w2 = new float[w1.Length];
        Train(run, "a", weightsOut: w1);
        Train(run, "b", weightsOut: w2);
        Assert.Equal(w1, w2);
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("a")), TinyRun.DeterministicProgress(run.SeedFolder("b")));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(run.SeedFolder("a")), TinyRun.MonitorReturnsAndLengths(run.SeedFolder("b")));
    }

    [Theory]
    [InlineData(333)]   // mid-episode, mid-interval
    [InlineData(200)]   // on a checkpoint and log boundary
    [InlineData(101)]   // just after learning starts
    public void InterruptedAndResumedRunEqualsAnUninterruptedOne(long stopAt)
    {
        using var run = new TinyRun();
        run.AssertInterruptedAndResumedEqualsUninterrupted(run.LoadParameterCount(), stopAt,
            (name, stop, resume, weightsOut) => Train(run, name, stopAt: stop, resume: resume, weightsOut: weightsOut));
    }

    [Fact]
    public void ResumeCutsLogRowsWrittenAfterTheCheckpoint()
    {
        using var run = new TinyRun();
        var straight = new float[run.LoadParameterCount()];
        Train(run, "straight", weightsOut: straight);
        // Simulate kill -9 at step 550: rows up to 500 exist, the checkpoint is from step 400.
        Train(run, "killed", stopAt: 400);
        string folder = run.SeedFolder("killed");
        File.AppendAllText(Path.Combine(folder, "progress.csv"), "500,1,2,3\n550,partial");
        File.AppendAllText(Path.Combine(folder, "monitor.csv"), "12.0,12,3.5\n");
        var resumed = new float[straight.Length];
        Assert.Equal(RunStatus.Completed, Train(run, "killed", resume: true, weightsOut: resumed));
        Assert.Equal(straight, resumed);
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("straight")), TinyRun.DeterministicProgress(folder));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(run.SeedFolder("straight")), TinyRun.MonitorReturnsAndLengths(folder));
    }

    [Fact]
    public void NaNInALayersGradientStopsTheSeedAndNamesTheLayer()
    {
        using var run = new TinyRun();
        var status = Train(run, "nan", faulty: new FaultyBlas(call: 200, index: 3));
        Assert.Equal(RunStatus.Failed, status);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.SeedFolder("nan"), "summary.json")));
        Assert.Equal("failed", summary.RootElement.GetProperty("status").GetString());
        string failure = summary.RootElement.GetProperty("failure").GetString()!;
        Assert.Contains("gradient", failure);
        Assert.Contains("fc2", failure);
        Assert.Contains("update 199", failure);
        Assert.Contains("last finite gradient norm", failure);
        // The last good checkpoint (step 400) is kept, not overwritten by the poisoned state.
        Assert.True(File.Exists(Path.Combine(run.SeedFolder("nan"), "checkpoint.bin")));
    }

    [Fact]
    public void EvaluationCanBeSwitchedOff()
    {
        using var run = new TinyRun();
        var config = run.Load("training.eval_interval=0", "training.eval_episodes=0");
        using var trainer = new DqnTrainer(config, 0, run.SeedFolder("noeval"), new ManagedBlas());
        Assert.Equal(RunStatus.Completed, trainer.Run(CancellationToken.None));
        string folder = run.SeedFolder("noeval");
        Assert.Single(File.ReadAllLines(Path.Combine(folder, "eval.csv")));   // the header only
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("final_eval_return_mean").ValueKind);
    }
}
