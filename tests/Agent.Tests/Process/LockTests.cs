namespace DqnStudy.Agent.Tests.Process;

/// <summary>Two processes on one run folder: the second refuses before touching it.</summary>
public sealed class LockTests
{
    [Fact]
    public void ASecondProcessOnTheSameRunFolderRefuses()
    {
        using var run = new ProcessRun();
        string folder = run.SeedFolder("shared");
        using var first = run.StartTraining("shared", "--steps", "200000");
        first.WaitUntil(() => File.Exists(Path.Combine(folder, "checkpoint.bin")), TimeSpan.FromSeconds(30), "the first checkpoint");

        // Without --resume the folder is simply taken; with --resume the lock must stop it.
        var plain = run.Train("shared", "--steps", "200000");
        Assert.True(plain.ExitCode == 2, plain.ToString());
        var second = run.Train("shared", "--steps", "200000", "--resume");
        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains("another DqnStudy process", second.Stderr);
        ProcessRun.AssertNoStackTrace(second);
        Assert.False(first.HasExited, "the second process must not disturb the first");

        first.Interrupt();
        Assert.Equal(130, first.WaitForExit(TimeSpan.FromSeconds(30)).ExitCode);
        // Interrupted by its owner, the first run leaves files that parse.
        Assert.Empty(ProcessRun.CheckFilesParse(folder));
    }

    [Fact]
    public void ALockLeftByAKilledProcessDoesNotBlockResume()
    {
        using var run = new ProcessRun();
        string folder = run.SeedFolder("stale");
        using (var first = run.StartTraining("stale", "--steps", "200000"))
        {
            first.WaitUntil(() => File.Exists(Path.Combine(folder, "checkpoint.bin")), TimeSpan.FromSeconds(30), "the first checkpoint");
            first.KillHard();
            first.WaitForExit(TimeSpan.FromSeconds(30));
        }
        Assert.True(File.Exists(Path.Combine(folder, ".lock")));
        // The kernel dropped the dead process's lock: a resume takes the folder and trains on.
        using var second = run.StartTraining("stale", "--steps", "200000", "--resume");
        second.WaitUntil(() => second.Stdout.Contains("resumed at step", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the resume");
        second.Interrupt();
        var result = second.WaitForExit(TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.DoesNotContain("another DqnStudy process", result.Stderr);
    }
}
