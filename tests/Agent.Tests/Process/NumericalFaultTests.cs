using System.Text.RegularExpressions;

namespace DqnStudy.Agent.Tests.Process;

/// <summary>A NaN or infinity that first shows up in the loss (weights so large that the forward pass overflows)
/// ends the seed with the named numerical fault and counters that agree with the logs, through the real process.</summary>
public sealed class NumericalFaultTests
{
    [Theory]
    [InlineData("huber")]
    [InlineData("clipped_delta")]   // clipping keeps the loss finite on an infinite TD error: the fault must still be seen
    [InlineData("mse")]
    public void AnOverflowingForwardPassIsANamedFaultWithTheRightCounters(string loss)
    {
        using var run = new ProcessRun();
        var result = run.Train("nan", "--set", "network.init=normal", "--set", "network.init_scale=1e30", "--set", $"loss.type={loss}");
        Assert.True(result.ExitCode == 1, result.ToString());
        ProcessRun.AssertNoStackTrace(result);
        var match = Regex.Match(result.Stdout, @"non-finite (Q-value|TD target|loss) in .*\(fc\d\).* at env step (\d+) \(update (\d+)\)");
        Assert.True(match.Success, result.ToString());
        long step = long.Parse(match.Groups[2].Value);

        string folder = run.SeedFolder("nan");
        var summary = ProcessRun.Summary(folder);
        Assert.Equal("failed", summary.GetProperty("status").GetString());
        Assert.Contains(match.Value[match.Value.IndexOf("non-finite", StringComparison.Ordinal)..], summary.GetProperty("failure").GetString());
        Assert.Equal(step, summary.GetProperty("steps_done").GetInt64());
        Assert.True(step > 100, "the fault comes with the first update, after learning_starts");
        int monitorRows = File.ReadAllLines(Path.Combine(folder, "monitor.csv")).Length - 2;
        Assert.True(monitorRows > 0);
        Assert.Equal(monitorRows, summary.GetProperty("episodes").GetInt64());
        Assert.Empty(ProcessRun.CheckFilesParse(folder));
    }
}
