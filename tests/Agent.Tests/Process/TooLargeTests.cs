namespace DqnStudy.Agent.Tests.Process;

/// <summary>Sizes no machine can hold are bad input: exit 2 before any folder is made, naming the key, the memory it
/// needs and what the machine has, never an OutOfMemoryException or an overflow from a constructor.</summary>
public sealed class TooLargeTests
{
    [Theory]
    [InlineData("network.hidden_sizes", "network.hidden_sizes=[1000000,1000000]")]
    [InlineData("dqn.buffer_size", "dqn.buffer_size=2000000000")]
    [InlineData("dqn.batch_size", "dqn.buffer_size=2000000000", "dqn.batch_size=2000000000", "dqn.learning_starts=2000000000")]
    [InlineData("network.hidden_sizes", "network.hidden_sizes=[40000,40000]", "--seeds", "64", "--parallel", "64")]
    [InlineData("dqn.batch_size", "network.type=lstm", "network.hidden_sizes=[4096]", "dqn.sequence_length=1000", "dqn.batch_size=4096", "dqn.learning_starts=4096", "dqn.buffer_size=5000")]
    public void ExitsTwoBeforeTrainingNamingTheKeyAndTheMemory(string key, params string[] settings)
    {
        using var run = new ProcessRun();
        var args = new List<string> { "--config", run.ConfigPath, "--out", run.RunsRoot, "--name", "big" };
        for (int i = 0; i < settings.Length; i++)
        {
            if (settings[i].StartsWith("--", StringComparison.Ordinal)) args.AddRange([settings[i], settings[++i]]);
            else args.AddRange(["--set", settings[i]]);
        }
        var result = AgentProcess.Run(run.Folder, [.. args]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"error: {key}: ", result.Stderr);
        Assert.Matches(@"needs about [\d.]+ [GT]B of memory, but this machine has [\d.]+ [GM]B available", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        Assert.DoesNotContain("Training '", result.Stdout);
        Assert.False(Directory.Exists(run.RunsRoot), "nothing is written before the sizes are checked");
    }
}
