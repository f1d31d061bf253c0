using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Runs;

namespace DqnStudy.Agent.Sweeps;

/// <summary>
/// Runs sweep tasks through the ordinary training path, always as a resume: a completed seed is skipped, an
/// interrupted or preempted one continues from its checkpoint, a missing one starts. So running a task twice,
/// or an engine re-queueing it, never trains a seed twice and never touches another task's folder.
/// </summary>
public static class SweepRunner
{
    /// <summary>The environment variables an engine numbers its tasks with: Slurm job arrays, Kubernetes Indexed Jobs.</summary>
    public static readonly string[] TaskIndexVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    /// <summary>The task index from the first of <see cref="TaskIndexVariables"/> that is set, or null.</summary>
    public static (int? Index, string? Problem) TaskFromEnvironment(Func<string, string?> getVariable)
    {
        foreach (string name in TaskIndexVariables)
        {
            if (getVariable(name) is not { Length: > 0 } text) continue;
            return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
                ? (index, null)
                : (null, $"{name}='{text}' is not a task index");
        }
        return (null, null);
    }

    public static async Task<int> RunTaskAsync(SweepPlan plan, int index, string outRoot, TextWriter output)
    {
        if (index < 0 || index >= plan.Tasks.Count)
        {
            output.WriteLine($"error: task {index} does not exist: sweep '{plan.Name}' has tasks 0..{plan.Tasks.Count - 1} (see `sweep plan`).");
            return SweepTraining.BadInput;
        }
        SweepTask task = plan.Tasks[index];
        output.WriteLine($"sweep {plan.Name}: task {index} of 0..{plan.Tasks.Count - 1}: {Describe(task)} -> {plan.SeedFolder(outRoot, task)}");
        return await SweepTraining.RunAsync(TrainingPlanFor(plan, task.Group, [task.Seed], outRoot, parallel: 1));
    }

    /// <summary>Every task on this machine, group by group, `parallel` seeds at a time. Stops at an interruption;
    /// a group that fails or is refused does not stop the others. Returns the worst exit code.</summary>
    public static async Task<int> RunLocalAsync(SweepPlan plan, string outRoot, int parallel, TextWriter output)
    {
        var failed = new List<string>();
        int worst = SweepTraining.Ok;
        foreach (SweepGroup group in plan.Groups)
        {
            output.WriteLine($"sweep {plan.Name}: {group.Label}: seeds {string.Join(", ", group.Seeds)}");
            int code = await SweepTraining.RunAsync(TrainingPlanFor(plan, group, group.Seeds, outRoot, parallel));
            if (code == SweepTraining.Interrupted)
            {
                output.WriteLine($"sweep {plan.Name}: interrupted; run the same command again to resume.");
                return code;
            }
            if (code != SweepTraining.Ok)
            {
                failed.Add($"{group.Label} (exit {code})");
                worst = Math.Max(worst, code);
            }
        }
        output.WriteLine(failed.Count == 0
            ? $"sweep {plan.Name}: all {plan.Tasks.Count} tasks done in {plan.Root(outRoot)}"
            : $"sweep {plan.Name}: not done: {string.Join(", ", failed)}; see `sweep status`.");
        return worst;
    }

    public static string Describe(SweepTask task) =>
        task.Group.GridPoint.Count == 0
            ? $"{task.Group.File.AsWritten}, seed {task.Seed}"
            : $"{task.Group.File.AsWritten}, {string.Join(", ", task.Group.GridPoint)}, seed {task.Seed}";

    private static TrainingPlan TrainingPlanFor(SweepPlan plan, SweepGroup group, IReadOnlyList<int> seeds, string outRoot, int parallel) =>
        new(group.Config, seeds, plan.Root(outRoot), group.Name, Resume: true, parallel, DqnComponents.Name(group.Config.Blas));
}
