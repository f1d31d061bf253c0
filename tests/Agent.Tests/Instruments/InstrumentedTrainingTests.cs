using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Instruments;

/// <summary>The instruments inside the real DqnTrainer on TinyRun's CartPole config.</summary>
public sealed class InstrumentedTrainingTests
{
    private const string On = "instruments: { enabled: true, probe_size: 64 }";

    private static RunStatus Train(TinyRun run, string name, long? stopAt = null, bool resume = false, float[]? weightsOut = null, List<string>? log = null)
    {
        var config = run.Load();
        using var trainer = new DqnTrainer(config, 0, run.SeedFolder(name), new ManagedBlas(), log: log is null ? null : log.Add);
        var status = trainer.Run(CancellationToken.None, resume, until: stopAt);
        var online = ((MlpLearner)trainer.Learner).OnlineNetwork;
        online.Parameters.Values.CopyTo(weightsOut ?? new float[online.Parameters.Count]);
        return status;
    }

    [Fact]
    public void SwitchingInstrumentsOn_LeavesTheSharedColumnsAndWeightsIdentical()
    {
        using var off = new TinyRun();
        using var on = new TinyRun(On);
        var weightsOff = new float[off.LoadParameterCount()];
        var weightsOn = new float[weightsOff.Length];
        Assert.Equal(RunStatus.Completed, Train(off, "a", weightsOut: weightsOff));
        Assert.Equal(RunStatus.Completed, Train(on, "a", weightsOut: weightsOn));
        Assert.Equal(weightsOff, weightsOn);

        string[] plain = TinyRun.DeterministicProgress(off.SeedFolder("a"));
        string[] instrumented = TinyRun.DeterministicProgress(on.SeedFolder("a"));
        int shared = plain[0].Split(',').Length;
        Assert.Equal(plain, instrumented.Select(l => string.Join(',', l.Split(',').Take(shared))));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(off.SeedFolder("a")), TinyRun.MonitorReturnsAndLengths(on.SeedFolder("a")));
    }

    [Fact]
    public void ProgressCsv_HasTheInstrumentColumns_FilledOnceLearningHasStarted()
    {
        using var run = new TinyRun(On);
        Train(run, "a");
        var lines = File.ReadAllLines(Path.Combine(run.SeedFolder("a"), "progress.csv"));
        string[] header = lines[0].Split(',');
        string[] extra = ["grad_norm_w_fc1", "grad_norm_b_fc1", "update_ratio_fc1", "dead_share_act1", "inactive_share_act1",
                          "grad_norm_w_fc2", "grad_norm_b_fc2", "update_ratio_fc2", "dead_share_act2", "inactive_share_act2",
                          "grad_norm_w_fc3", "grad_norm_b_fc3", "update_ratio_fc3"];
        Assert.Equal(extra, header[^extra.Length..]);
        var network = DqnComponents.CreateNetwork(run.Load(), new ManagedBlas(), 4, 2, 1, 0);
        Assert.Equal(RunFolder.ProgressColumns(MlpLearner.GradientColumns(network), []).Count + extra.Length, header.Length);

        string[] atStep100 = lines[1].Split(',');           // learning starts after step 100: nothing measured yet
        Assert.All(atStep100[^extra.Length..], Assert.Empty);
        foreach (string line in lines.Skip(2))
        {
            string[] fields = line.Split(',');
            Assert.Equal(header.Length, fields.Length);
            foreach (string field in fields[^extra.Length..])
            {
                double value = double.Parse(field, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(double.IsFinite(value) && value >= 0, line);
            }
        }
    }

    [Theory]
    [InlineData(333)]   // mid-interval, after that interval's measured update
    [InlineData(200)]   // on a checkpoint and log boundary (the next update is the measured one)
    [InlineData(101)]   // learning has started but no update yet: the probe set is not drawn
    [InlineData(105)]   // just after the first update drew the probe set
    public void InterruptedAndResumedInstrumentedRun_EqualsAnUninterruptedOne(long stopAt)
    {
        using var run = new TinyRun(On);
        var straight = new float[run.LoadParameterCount()];
        var resumed = new float[straight.Length];
        var straightLog = new List<string>();
        var resumedLog = new List<string>();
        Assert.Equal(RunStatus.Completed, Train(run, "straight", weightsOut: straight, log: straightLog));
        Assert.Equal(RunStatus.Interrupted, Train(run, "resumed", stopAt: stopAt, log: resumedLog));
        Assert.Equal(RunStatus.Completed, Train(run, "resumed", resume: true, weightsOut: resumed, log: resumedLog));

        Assert.Equal(straight, resumed);
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("straight")), TinyRun.DeterministicProgress(run.SeedFolder("resumed")));
        Assert.Equal(straightLog, resumedLog.Where(l => !l.Contains("resumed at step", StringComparison.Ordinal)));
    }
}
