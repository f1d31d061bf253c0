using DqnStudy.Agent.Tests.Process;

namespace DqnStudy.Agent.Tests.Sweeps;

/// <summary>`sweep run` through the real app: all tasks here with --local, then single tasks, which are idempotent.</summary>
public sealed class SweepRunTests
{
    private const string Sweep = "name: local\nconfigs: [tiny.yaml]\ngrid:\n  loss.type: [huber, mse]\nseeds: 1\nset: { training.total_steps: 400 }\n";

    [Fact]
    public void LocalRunsEveryTaskAndARerunTrainsNothing()
    {
        using var files = new SweepFiles();
        files.Write("sweep", Sweep);
        string group = Path.Combine(files.RunsRoot, "local", "tiny_type-mse");
        Directory.CreateDirectory(group);
        File.WriteAllText(Path.Combine(group, "notes.txt"), "mine");   // not the tool's: must survive

        var local = AgentProcess.Run(files.Folder, "sweep", "run", "sweep.yaml", "--local", "--parallel", "2");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Contains("all 2 tasks done", local.Stdout);
        var status = AgentProcess.Run(files.Folder, "sweep", "status", "sweep.yaml");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("2 done, 0 running, 0 interrupted, 0 failed, 0 missing", status.Stdout);

        string summary = Path.Combine(group, "seed-0", "summary.json");
        string before = File.ReadAllText(summary);
        DateTime written = File.GetLastWriteTimeUtc(summary);
        // The engines' variable picks the task; a finished task is skipped, its files untouched.
        var again = AgentProcess.Run(files.Folder, new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "1" }, "sweep", "run", "sweep.yaml");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("task 1 of 0..1: tiny.yaml, loss.type=mse, seed 0", again.Stdout);
        Assert.Contains("already complete; skipping it", again.Stdout);
        Assert.Equal(before, File.ReadAllText(summary));
        Assert.Equal(written, File.GetLastWriteTimeUtc(summary));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(group, "notes.txt")));
    }

    [Fact]
    public void AMissingOrUnknownTaskIsBadInput()
    {
        using var files = new SweepFiles();
        files.Write("sweep", Sweep);
        var none = AgentProcess.Run(files.Folder, "sweep", "run", "sweep.yaml");
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("which task? Give --task I (0..1)", none.Stderr);
        var unknown = AgentProcess.Run(files.Folder, "sweep", "run", "sweep.yaml", "--task", "2");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("task 2 does not exist: sweep 'local' has tasks 0..1", unknown.Stdout);
        var badFile = AgentProcess.Run(files.Folder, "sweep", "plan", "nope.yaml");
        Assert.Equal(2, badFile.ExitCode);
        Assert.Contains("nope.yaml: cannot read the sweep file", badFile.Stderr);
        ProcessRun.AssertNoStackTrace(badFile);
        Assert.False(Directory.Exists(files.RunsRoot));
    }

    [Fact]
    public void PlanPrintsTheNumberedTasks()
    {
        using var files = new SweepFiles();
        files.Write("sweep", Sweep);
        var plan = AgentProcess.Run(files.Folder, "sweep", "plan", "sweep.yaml");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Matches(@"\n\s+0\s+tiny_type-huber/seed-0\s+\(tiny.yaml, loss.type=huber, seed 0\)", plan.Stdout);
        Assert.Matches(@"\n\s+1\s+tiny_type-mse/seed-0", plan.Stdout);
        Assert.Contains("\n2 tasks", plan.Stdout);
    }
}
