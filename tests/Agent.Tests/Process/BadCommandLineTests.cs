namespace DqnStudy.Agent.Tests.Process;

/// <summary>Bad options and unusable config files, through the real process: exit 2 before any folder is made,
/// one message on stderr naming the option as the user typed it, no stack trace.</summary>
public sealed class BadCommandLineTests
{
    [Theory]
    [InlineData("--seeds 0", "--seeds: training.seeds: must be ≥ 1, got 0")]
    [InlineData("--steps -5", "--steps: training.total_steps: must be > 0, got -5")]
    [InlineData("--blas nonsense", "--blas: blas: 'nonsense' is not allowed; allowed: auto, mkl, managed")]
    [InlineData("--steps abc", "--steps expects a whole number")]
    [InlineData("--seeds 1e3", "--seeds expects a whole number")]
    [InlineData("--parallel x", "--parallel expects a whole number")]
    [InlineData("--seeds 1000000", "--seeds: training.seeds: must be ≤ 1000, got 1000000")]
    [InlineData("--seeds 99999999999", "--seeds expects a whole number (up to 2,147,483,647), not '99999999999'")]
    [InlineData("--seed 3 --seeds 2", "--seed and --seeds conflict")]
    [InlineData("--seed -1", "--seed must be 0 or more, not -1")]
    [InlineData("--parallel 0", "--parallel must be at least 1, not 0")]
    public void ABadOptionExitsTwoNamingTheOption(string options, string expected)
    {
        using var run = new ProcessRun();
        var result = AgentProcess.Run(run.Folder, ["--config", run.ConfigPath, "--out", run.RunsRoot, "--name", "bad", .. options.Split(' ')]);
        AssertRefused(run, result, expected);
        Assert.DoesNotContain("System.", result.Stderr);   // no .NET type names ("System.Nullable`1[System.Int64]")
    }

    [Fact]
    public void TheTrainVerb_IsTheTrainCommand()
    {
        // `train --config …` runs the same command as `--config …` alone: the same check refuses the same option.
        using var run = new ProcessRun();
        var result = AgentProcess.Run(run.Folder, ["train", "--config", run.ConfigPath, "--out", run.RunsRoot, "--name", "bad", "--seeds", "0"]);
        AssertRefused(run, result, "--seeds: training.seeds: must be ≥ 1, got 0");
        Assert.DoesNotContain("Unrecognized command", result.Stderr);
    }

    [Theory]
    [InlineData("", "the config is empty")]
    [InlineData("# only a comment\n", "the config is empty")]
    [InlineData("\0\0\0\0\0\0\0\0", "not a YAML config: the file holds NUL bytes")]
    public void AnEmptyOrBinaryConfigExitsTwo(string text, string expected)
    {
        using var run = new ProcessRun();
        string path = Path.Combine(run.Folder, "odd.yaml");
        File.WriteAllText(path, text);
        var result = AgentProcess.Run(run.Folder, "--config", path, "--out", run.RunsRoot);
        AssertRefused(run, result, expected);
        Assert.Contains("odd.yaml", result.Stderr);
    }

    private static void AssertRefused(ProcessRun run, AgentResult result, string expected)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("--set:", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        Assert.DoesNotContain("Training '", result.Stdout);
        Assert.False(Directory.Exists(run.RunsRoot), "nothing is written for bad input");
    }
}
