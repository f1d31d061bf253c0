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
    private const int Steps = 30000, StepsPerProgressRow = 100;
    private static readonly string[] Long = ["--steps", $"{Steps}", "--set", "training.checkpoint_interval=500"];

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
        // Kill points are measured in progress rows, not milliseconds, so a fast idle machine and a loaded one
        // both see the kills land: the first at start-up (anywhere, even before training), the later ones in
        // successive quarters of the run.
        int rows = Steps / StepsPerProgressRow;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            string[] args = attempt == 0 ? Long : [.. Long, "--resume"];
            using var process = run.StartTraining("killed", args);
            if (attempt == 0)
            {
                Thread.Sleep(random.Next(0, 40));
            }
            else
            {
                int target = (attempt - 1) * rows / 4 + random.Next(rows / 20, rows / 5);
                while (!process.HasExited && ProcessRun.CompleteProgressRows(folder) < target) Thread.Sleep(2);
            }
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
        Assert.Equal(Steps, progress[^1]);
        Assert.Equal(rows, progress.Length);
        var lengths = CsvTable.Read(Path.Combine(folder, "monitor.csv")).Column("l");
        Assert.True(lengths.Sum() <= Steps, $"monitor lengths sum to {lengths.Sum()} > {Steps} total steps");
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("straight")), TinyRun.DeterministicProgress(folder));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(run.SeedFolder("straight")), TinyRun.MonitorReturnsAndLengths(folder));
    }
}
