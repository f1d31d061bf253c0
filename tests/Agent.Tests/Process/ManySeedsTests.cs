namespace DqnStudy.Agent.Tests.Process;

/// <summary>A seed count no run should have is refused up front; running out of file descriptors while locking seed
/// folders is reported as what it is (not as "another process"), and a refused start leaves no seed folders.</summary>
public sealed class ManySeedsTests
{
    [Fact]
    public void AMillionSeedsIsRefusedBeforeAnyFolderIsMade()
    {
        using var run = new ProcessRun();
        var result = run.Train("many", "--seeds", "1000000");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--seeds: training.seeds: must be ≤ 1000, got 1000000", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        Assert.False(Directory.Exists(run.RunsRoot));
    }

    [Fact]
    public void RunningOutOfFileDescriptorsIsNamedAndLeavesNoSeedFolders()
    {
        using var run = new ProcessRun();
        var result = AgentProcess.RunUnder(["prlimit", "--nofile=300:300", "--"], run.Folder, run.Args("fds", "--seeds", "1000", "--steps", "50"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Too many open files", result.Stderr);
        Assert.Contains("ulimit -n", result.Stderr);
        Assert.DoesNotContain("another DqnStudy process", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        string group = Path.Combine(run.RunsRoot, "fds");
        Assert.Empty(Directory.Exists(group) ? Directory.GetFileSystemEntries(group) : []);
    }
}
