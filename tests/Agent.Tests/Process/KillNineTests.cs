using DqnStudy.Agent.Compare;
using DqnStudy.Agent.Tests.EndToEnd;

namespace DqnStudy.Agent.Tests.Process;

/// <summary>
/// SIGKILL at random (seeded) moments: after every kill each file parses with compare's reader and
/// summary.json parses; `--resume` then continues, and the finished run is consistent and equal to one
/// that was never killed.
/// </summary>
public sealed class KillNineTests
{
    private static readonly string[] Long = ["--steps", "12000", "--set", "training.checkpoint_interval=500"];

    [Fact]
    public void RepeatedKillNineLosesNothingAndResumeCompletesTheRun()
    {
        using var run = new ProcessRun();
        var straight = run.Train("straight", Long);
        Assert.True(straight.ExitCode == 0, straight.ToString());

        string folder = run.SeedFolder("killed");
        var random = new Random(20261128);
        var notes = new List<string>();
        int kills = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            string[] args = attempt == 0 ? Long : [.. Long, "--resume"];
            using var process = run.StartTraining("killed", args);
            // The first kill may land anywhere, even before training; later ones land after some progress.
            if (attempt > 0) process.WaitUntil(() => File.Exists(Path.Combine(folder, "summary.json")), TimeSpan.FromSeconds(30), "the run to start");
            Thread.Sleep(random.Next(50, 600));
            if (process.HasExited) break; // finished before the kill: nothing left to test on this pass
            process.KillHard();
            process.WaitForExit(TimeSpan.FromSeconds(30));
            kills++;
            if (Directory.Exists(folder)) notes.AddRange(ProcessRun.CheckFilesParse(folder));
        }
        Assert.True(kills >= 3, $"only {kills} kills landed before the run finished; lengthen it");

        var final = run.Train("killed", [.. Long, "--resume"]);
        Assert.True(final.ExitCode == 0, final.ToString());
        Assert.Equal("completed", ProcessRun.Summary(folder).GetProperty("status").GetString());
        Assert.Empty(ProcessRun.CheckFilesParse(folder));

        var progress = CsvTable.Read(Path.Combine(folder, "progress.csv")).Column("steps");
        for (int i = 1; i < progress.Length; i++) Assert.True(progress[i] > progress[i - 1], $"progress.csv steps not increasing at row {i}");
        Assert.Equal(12000, progress[^1]);
        Assert.Equal(120, progress.Length);
        var lengths = CsvTable.Read(Path.Combine(folder, "monitor.csv")).Column("l");
        Assert.True(lengths.Sum() <= 12000, $"monitor lengths sum to {lengths.Sum()} > 12000 total steps");
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("straight")), TinyRun.DeterministicProgress(folder));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(run.SeedFolder("straight")), TinyRun.MonitorReturnsAndLengths(folder));
    }
}
