namespace DqnStudy.Agent.Tests.Process;

/// <summary>The generic host's defaults watch the content root (the current folder, where runs/ is written) for
/// appsettings changes; that watcher thread cost ~3% CPU during training, so the train command builds the host
/// without it. Linux names threads in /proc/&lt;pid&gt;/task/*/comm (15 characters), as the other process tests
/// assume Linux.</summary>
public sealed class HostThreadTests
{
    [Fact]
    public void TrainingRunsWithoutAFileWatcherThread()
    {
        using var run = new ProcessRun();
        string folder = run.SeedFolder("watch");
        using var process = run.StartTraining("watch", "--steps", "12000");
        process.WaitUntil(() => ProcessRun.CompleteProgressRows(folder) >= 2, TimeSpan.FromSeconds(30), "two progress rows");
        var threads = Directory.GetDirectories($"/proc/{process.Id}/task")
            .Select(task => { try { return File.ReadAllText(Path.Combine(task, "comm")).Trim(); } catch (IOException) { return ""; } })
            .ToList();
        process.Interrupt();
        var result = process.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.Contains(".NET SigHandler", threads);                  // the names are readable: the check can see threads
        Assert.DoesNotContain(".NET File Watch", threads);
        Assert.True(result.ExitCode == 130, result.ToString());       // Ctrl+C still stops the run gracefully
    }
}
