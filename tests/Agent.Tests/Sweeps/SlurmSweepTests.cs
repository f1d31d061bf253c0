using System.Diagnostics;
using System.Text.RegularExpressions;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Agent.Tests.Process;

namespace DqnStudy.Agent.Tests.Sweeps;

/// <summary>
/// A real sweep through a real slurmctld (scripts/slurm-local.sh): `sweep slurm --submit` sends 6 tasks as one
/// `sbatch --array` job, one task is cancelled mid-run with scancel (SIGTERM: it checkpoints), `sweep status` names it,
/// its resubmission resumes it from the checkpoint, and `compare --sweep` reads every group.
/// </summary>
public sealed class SlurmSweepTests
{
    private const long Steps = 6000;

    private const string Sweep = """
        name: slurm-test
        configs: [tiny.yaml]
        grid:
          loss.type: [huber, mse]
        seeds: 3
        set:
          training.total_steps: 6000
        """;

    [SkippableFact]
    public void ArraySweepWithACancelledAndResubmittedTaskCompletesAndCompares()
    {
        using var slurm = LocalSlurm.StartOrSkip();
        using var run = new ProcessRun();
        File.WriteAllText(Path.Combine(run.Folder, "sweep.yaml"), Sweep);
        string root = Path.Combine(run.RunsRoot, "slurm-test");
        string Seed(string group, int seed) => Path.Combine(root, group, $"seed-{seed}");
        string victim = Seed("tiny_type-huber", 0); // task 0

        var submitted = AgentProcess.Run(run.Folder, slurm.Environment, "sweep", "slurm", "sweep.yaml", "--out", "runs", "--throttle", "2", "--submit");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        string job = Regex.Match(submitted.Stdout, @"Submitted job (\d+)").Groups[1].Value;
        Assert.Contains("#SBATCH --array=0-5%2", File.ReadAllText(Path.Combine(root, "slurm-array.sh")));

        WaitFor(() => ProcessRun.CompleteProgressRows(victim) >= 3, TimeSpan.FromSeconds(60), "task 0's third progress row");
        var cancel = slurm.Client("scancel", $"{job}_0");
        Assert.True(cancel.ExitCode == 0, cancel.Stderr);
        WaitFor(() => slurm.JobFinished(job), TimeSpan.FromSeconds(120), $"job {job} to finish");

        // SIGTERM from Slurm: the task saved a checkpoint and says where it stopped.
        var stopped = ProcessRun.Summary(victim);
        Assert.Equal("interrupted", stopped.GetProperty("status").GetString());
        long stoppedAt = stopped.GetProperty("steps_done").GetInt64();
        Assert.InRange(stoppedAt, 300, Steps - 1);
        Assert.True(File.Exists(Path.Combine(victim, "checkpoint.bin")));

        var status = AgentProcess.Run(run.Folder, "sweep", "status", "sweep.yaml", "--out", "runs");
        Assert.True(status.ExitCode == 1, status.ToString());
        Assert.Matches(@"\n\s+0\s+interrupted\s+tiny_type-huber/seed-0", status.Stdout);
        Assert.Contains("5 done, 0 running, 1 interrupted, 0 failed, 0 missing", status.Stdout);
        Assert.Contains("resubmit these; done seeds are skipped): 0", status.Stdout);

        var again = AgentProcess.Run(run.Folder, slurm.Environment, "sweep", "slurm", "sweep.yaml", "--out", "runs", "--submit", "--tasks", "0");
        Assert.True(again.ExitCode == 0, again.ToString());
        string job2 = Regex.Match(again.Stdout, @"Submitted job (\d+)").Groups[1].Value;
        WaitFor(() => slurm.JobFinished(job2), TimeSpan.FromSeconds(120), $"job {job2} to finish");

        var done = AgentProcess.Run(run.Folder, "sweep", "status", "sweep.yaml", "--out", "runs");
        Assert.True(done.ExitCode == 0, done.ToString() + Logs(root));
        Assert.Contains("6 done, 0 running, 0 interrupted, 0 failed, 0 missing", done.Stdout);
        foreach (string group in new[] { "tiny_type-huber", "tiny_type-mse" })
        {
            for (int seed = 0; seed < 3; seed++)
            {
                var summary = ProcessRun.Summary(Seed(group, seed));
                Assert.Equal("completed", summary.GetProperty("status").GetString());
                Assert.Equal(Steps, summary.GetProperty("steps_done").GetInt64());
                Assert.Empty(ProcessRun.CheckFilesParse(Seed(group, seed)));
            }
        }
        // The resubmitted task resumed where scancel stopped it, and its log (appended) tells both halves.
        Assert.Equal(stoppedAt, ProcessRun.Summary(victim).GetProperty("resumed_from_step").GetInt64());
        string log = File.ReadAllText(Path.Combine(root, "logs", "task-0.log"));
        Assert.Contains("CANCELLED", log);
        Assert.Contains($"resumed at step {stoppedAt:N0}", log);

        var compare = AgentProcess.Run(run.Folder, "compare", "--sweep", "sweep.yaml", "--sweep-root", "runs");
        Assert.True(compare.ExitCode == 0, compare.ToString());
        string report = File.ReadAllText(Path.Combine(root, "compare", "report.md"));
        Assert.Contains("tiny type=huber", report);
        Assert.Contains("tiny type=mse", report);
        Assert.DoesNotContain("left out", compare.Stdout);
    }

    private static string Logs(string root) =>
        string.Concat(Directory.GetFiles(Path.Combine(root, "logs")).Select(f => $"\n--- {f}\n{File.ReadAllText(f)}"));

    private static void WaitFor(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Waited {timeout} for {what}.");
            Thread.Sleep(100);
        }
    }
}
