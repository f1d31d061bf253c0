using System.Text.Json;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Tests.EndToEnd;

namespace DqnStudy.Agent.Tests.Recurrent;

public sealed class RecurrentLearnerTests
{
    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    public void TinyRunWritesEveryFileWithTheRecurrentColumns(string type)
    {
        using var run = new DrqnRun(type);
        Assert.Equal(RunStatus.Completed, run.Train("a"));
        string folder = run.SeedFolder("a");
        foreach (string file in new[] { "monitor.csv", "progress.csv", "eval.csv", "summary.json", "checkpoint.bin" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);

        var monitor = File.ReadAllLines(Path.Combine(folder, "monitor.csv"));
        Assert.Contains("\"env_id\":\"CartPoleNoVel-v1\"", monitor[0]);
        Assert.Equal("r,l,t", monitor[1]);
        Assert.True(monitor.Length > 4);

        var progress = File.ReadAllLines(Path.Combine(folder, "progress.csv"));
        Assert.Equal(5, progress.Length);   // header + steps 100..400
        var header = progress[0].Split(',');
        Assert.Equal(["steps", "updates", "episodes", "epsilon", "loss", "mean_q"], header.Take(6));
        foreach (string column in new[] { "grad_norm", "grad_norm_w_ih", "grad_norm_w_hh", "grad_norm_head", "dh_norm_t0", "dh_norm_t5",
                                          "spectral_radius_w_hh", "spectral_norm_w_hh", "last100_return", "sps", "time_elapsed" })
            Assert.Contains(column, header);
        Assert.DoesNotContain("dh_norm_t6", header);
        var last = progress[^1].Split(',');
        foreach (string column in new[] { "loss", "grad_norm_w_hh", "dh_norm_t0", "dh_norm_t5", "spectral_radius_w_hh", "spectral_norm_w_hh" })
        {
            double value = double.Parse(last[Array.IndexOf(header, column)], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(double.IsFinite(value) && value > 0, $"{column} = {value}");
        }

        var eval = File.ReadAllLines(Path.Combine(folder, "eval.csv"));
        Assert.Equal(["200", "400"], eval.Skip(1).Select(l => l.Split(',')[0]));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        Assert.Equal("completed", summary.RootElement.GetProperty("status").GetString());
        Assert.Equal((400 - 100) / 4, summary.RootElement.GetProperty("updates").GetInt64());
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    public void SameSeedTwiceGivesIdenticalProgressAndWeights(string type)
    {
        using var run = new DrqnRun(type);
        var w1 = new float[run.ParameterCount()];
        var w2 = new float[w1.Length];
        run.Train("a", weightsOut: w1);
        run.Train("b", weightsOut: w2);
        Assert.Equal(w1, w2);
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("a")), TinyRun.DeterministicProgress(run.SeedFolder("b")));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(run.SeedFolder("a")), TinyRun.MonitorReturnsAndLengths(run.SeedFolder("b")));
    }

    [Fact]
    public void ANaNInTheRecurrentWeightGradientFailsTheSeedAndNamesTheTensor()
    {
        using var run = new DrqnRun("rnn");
        var log = new List<string>();
        var status = run.Train("nan", faulty: new FaultyBlas(call: 10, index: 3), log: log);
        Assert.Equal(RunStatus.Failed, status);
        string message = Assert.Single(log, m => m.Contains("non-finite"));
        Assert.Contains("w_hh gradient", message);
        Assert.Contains("rnn cell", message);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.SeedFolder("nan"), "summary.json")));
        Assert.Equal("failed", summary.RootElement.GetProperty("status").GetString());
        Assert.Contains("w_hh gradient", summary.RootElement.GetProperty("failure").GetString());
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    public void InterruptedAndResumedRunMatchesAnUninterruptedOne(string type)
    {
        using var run = new DrqnRun(type);
        var whole = new float[run.ParameterCount()];
        var resumed = new float[whole.Length];
        Assert.Equal(RunStatus.Completed, run.Train("whole", weightsOut: whole));
        Assert.Equal(RunStatus.Interrupted, run.Train("cut", stopAt: 250));
        Assert.Equal(RunStatus.Completed, run.Train("cut", resume: true, weightsOut: resumed));
        Assert.Equal(whole, resumed);
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("whole")), TinyRun.DeterministicProgress(run.SeedFolder("cut")));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(run.SeedFolder("whole")), TinyRun.MonitorReturnsAndLengths(run.SeedFolder("cut")));
    }
}
