using DqnStudy.Agent.Sweeps;

namespace DqnStudy.Agent.Tests.Sweeps;

public sealed class SlurmScriptTests
{
    [Fact]
    public void OneArrayTaskPerSweepTaskOneCpuThrottledRequeuedLoggedPerTask()
    {
        using var files = new SweepFiles();
        SweepPlan plan = SweepPlan.Load(files.Write("grid", "configs: [tiny.yaml]\ngrid:\n  dqn.gamma: [0.9, 0.99]\nseeds: 5\n"));
        var options = new SlurmOptions(files.RunsRoot, "dotnet '/opt/my app/DqnStudy.Agent.dll'", files.Folder, Throttle: 3,
                                       Partition: "short", Time: "01:00:00", Memory: "2G");
        string script = SlurmScript.Write(plan, options);
        string[] lines = script.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Contains("#SBATCH --array=0-9%3", lines);
        Assert.Contains("#SBATCH --cpus-per-task=1", lines);
        Assert.Contains("#SBATCH --requeue", lines);
        Assert.Contains("#SBATCH --open-mode=append", lines);
        Assert.Contains($"#SBATCH --output={files.RunsRoot}/grid/logs/task-%a.log", lines);
        Assert.Contains("#SBATCH --signal=B:TERM@120", lines);
        Assert.Contains("#SBATCH --partition=short", lines);
        Assert.Contains("#SBATCH --time=01:00:00", lines);
        Assert.Contains("#SBATCH --mem=2G", lines);
        Assert.Contains($"#SBATCH --chdir={files.Folder}", lines);
        Assert.Contains("export MKL_NUM_THREADS=1 OMP_NUM_THREADS=1 DOTNET_CLI_TELEMETRY_OPTOUT=1", lines);
        Assert.Contains($"exec dotnet '/opt/my app/DqnStudy.Agent.dll' sweep run {Path.Combine(files.Folder, "grid.yaml")} --out {files.RunsRoot}", lines);
        // Without the optional settings the cluster's defaults apply.
        Assert.DoesNotContain("--partition", SlurmScript.Write(plan, options with { Partition = null }));
    }

    [Theory]
    [InlineData("/plain/path-1.yaml", "/plain/path-1.yaml")]
    [InlineData("/with space/x", "'/with space/x'")]
    [InlineData("it's", "'it'\\''s'")]
    public void QuotesForBash(string word, string expected) => Assert.Equal(expected, SlurmScript.Quote(word));

    [Fact]
    public void TheTaskIndexComesFromSlurmThenKubernetes()
    {
        var both = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "7", ["JOB_COMPLETION_INDEX"] = "3" };
        Assert.Equal((7, (string?)null), SweepRunner.TaskFromEnvironment(both.GetValueOrDefault));
        var k8s = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "3" };
        Assert.Equal((3, (string?)null), SweepRunner.TaskFromEnvironment(k8s.GetValueOrDefault));
        Assert.Equal((null, (string?)null), SweepRunner.TaskFromEnvironment(_ => null));
        var bad = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "-1" };
        Assert.Equal("SLURM_ARRAY_TASK_ID='-1' is not a task index", SweepRunner.TaskFromEnvironment(bad.GetValueOrDefault).Problem);
    }
}
