using DqnStudy.Agent.Tests.EndToEnd;

namespace DqnStudy.Agent.Tests.Process;

/// <summary>Ctrl+C (SIGINT) on the real process: exit 130, a checkpoint and flushed logs, and a resume that
/// reproduces the uninterrupted run (one BLAS thread, managed provider, same build).</summary>
public sealed class InterruptTests
{
    private static readonly string[] Long = ["--steps", "12000"];

    [Fact]
    public void SigIntSavesACheckpointExits130AndResumeEqualsAnUninterruptedRun()
    {
        using var run = new ProcessRun();
        var straight = run.Train("straight", Long);
        Assert.True(straight.ExitCode == 0, straight.ToString());

        string folder = run.SeedFolder("interrupted");
        using (var process = run.StartTraining("interrupted", Long))
        {
            // Interrupt mid-run: a few log rows in, well before the end.
            process.WaitUntil(() => ProcessRun.CompleteProgressRows(folder) >= 5, TimeSpan.FromSeconds(30), "five progress rows");
            process.Interrupt();
            var interrupted = process.WaitForExit(TimeSpan.FromSeconds(30));
            Assert.True(interrupted.ExitCode == 130, interrupted.ToString());
            Assert.Contains("1 interrupted", interrupted.Stdout);
            Assert.Contains("--resume", interrupted.Stdout);
        }
        var summary = ProcessRun.Summary(folder);
        Assert.Equal("interrupted", summary.GetProperty("status").GetString());
        long stoppedAt = summary.GetProperty("steps_done").GetInt64();
        Assert.InRange(stoppedAt, 500, 11999);
        Assert.True(File.Exists(Path.Combine(folder, "checkpoint.bin")));
        // Flushed: the logs hold every row up to the step where it stopped, and every file parses.
        Assert.Empty(ProcessRun.CheckFilesParse(folder));
        Assert.Equal(stoppedAt / 100, ProcessRun.CompleteProgressRows(folder));

        var resumed = run.Train("interrupted", [.. Long, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"resumed at step {stoppedAt:N0}", resumed.Stdout);
        Assert.Equal(stoppedAt, ProcessRun.Summary(folder).GetProperty("resumed_from_step").GetInt64());
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("straight")), TinyRun.DeterministicProgress(folder));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(run.SeedFolder("straight")), TinyRun.MonitorReturnsAndLengths(folder));
        Assert.Equal(File.ReadAllLines(Path.Combine(run.SeedFolder("straight"), "eval.csv")), File.ReadAllLines(Path.Combine(folder, "eval.csv")));
    }
}
