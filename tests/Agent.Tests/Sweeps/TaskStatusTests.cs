using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Sweeps;

namespace DqnStudy.Agent.Tests.Sweeps;

/// <summary>`sweep status` reads each state from the run folder alone.</summary>
public sealed class TaskStatusTests
{
    [Fact]
    public void EachStateComesFromTheFolder()
    {
        using var files = new SweepFiles();
        SweepPlan plan = SweepPlan.Load(files.Write("s", "configs: [tiny.yaml]\nseeds: 6\n"));
        string Folder(int i) => plan.SeedFolder(files.RunsRoot, plan.Tasks[i]);
        void Summary(int i, string status, string? failure = null)
        {
            Directory.CreateDirectory(Folder(i));
            new RunSummary { Status = status, StepsDone = 100 * i, TotalSteps = 600, Failure = failure }.Write(Folder(i));
        }
        Summary(0, "completed");
        Summary(1, "failed", "NaN in the loss");
        Summary(2, "interrupted");
        Summary(3, "running");                       // a writer holds the lock: running
        Summary(4, "running");                       // nobody holds it: killed, so interrupted
        Directory.CreateDirectory(Folder(5));
        File.WriteAllText(Path.Combine(Folder(5), RunLock.FileName), "1"); // a refused start left only its lock: missing

        using (RunLock.Acquire(Folder(3)))
        {
            var states = SweepStatus.Read(plan, files.RunsRoot);
            Assert.Equal([TaskState.Done, TaskState.Failed, TaskState.Interrupted, TaskState.Running, TaskState.Interrupted, TaskState.Missing],
                         states.Select(s => s.State));
            Assert.Equal("NaN in the loss", states[1].Failure);
            Assert.Equal(300, states[3].StepsDone);

            var output = new StringWriter();
            Assert.Equal(1, SweepStatus.Write(plan, files.RunsRoot, states, output));
            Assert.Contains("1 done, 1 running, 2 interrupted, 1 failed, 1 missing", output.ToString());
            Assert.Contains("resubmit these; done seeds are skipped): 1-2,4-5", output.ToString());
        }
        Assert.Equal(TaskState.Interrupted, SweepStatus.Read(plan, files.RunsRoot)[3].State); // the lock died with its holder
    }

    [Fact]
    public void AllDoneIsExitZero()
    {
        using var files = new SweepFiles();
        SweepPlan plan = SweepPlan.Load(files.Write("s", "configs: [tiny.yaml]\nseeds: 2\n"));
        foreach (SweepTask task in plan.Tasks)
        {
            Directory.CreateDirectory(plan.SeedFolder(files.RunsRoot, task));
            new RunSummary { Status = "completed" }.Write(plan.SeedFolder(files.RunsRoot, task));
        }
        Assert.Equal(0, SweepStatus.Write(plan, files.RunsRoot, SweepStatus.Read(plan, files.RunsRoot), new StringWriter()));
    }

    [Theory]
    [InlineData(new int[0], "")]
    [InlineData(new[] { 3 }, "3")]
    [InlineData(new[] { 0, 1, 2, 5, 7, 8 }, "0-2,5,7-8")]
    public void RangesAreSbatchArraySyntax(int[] indices, string expected) => Assert.Equal(expected, SweepStatus.Ranges(indices));
}
