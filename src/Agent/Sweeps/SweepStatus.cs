namespace DqnStudy.Agent.Sweeps;

/// <summary>`sweep status`: every task's state from its run folder, a count per state, and the indices to resubmit.</summary>
public static class SweepStatus
{
    public static IReadOnlyList<TaskStatus> Read(SweepPlan plan, string outRoot) =>
        plan.Tasks.Select(t => TaskStatus.Read(t, plan.SeedFolder(outRoot, t))).ToList();

    /// <summary>Writes the table and summary; returns 0 when every task is done, else 1.</summary>
    public static int Write(SweepPlan plan, string outRoot, IReadOnlyList<TaskStatus> statuses, TextWriter output)
    {
        output.WriteLine($"sweep {plan.Name}: {plan.Tasks.Count} tasks in {plan.Root(outRoot)}");
        foreach (TaskStatus s in statuses)
        {
            string progress = s.State == TaskState.Missing ? "" : $"  {s.StepsDone:N0}/{s.TotalSteps:N0} steps";
            string failure = s.Failure is null ? "" : $"  ({s.Failure})";
            output.WriteLine($"  {s.Task.Index,5}  {Word(s.State),-11}  {s.Task.Group.Name}/seed-{s.Task.Seed}{progress}{failure}");
        }
        output.WriteLine(string.Join(", ", Enum.GetValues<TaskState>().Select(st => $"{statuses.Count(s => s.State == st)} {Word(st)}")));
        var again = statuses.Where(s => s.State is TaskState.Interrupted or TaskState.Failed or TaskState.Missing).Select(s => s.Task.Index).ToList();
        if (again.Count > 0) output.WriteLine($"not done (rerun or resubmit these; done seeds are skipped): {Ranges(again)}");
        return statuses.All(s => s.State == TaskState.Done) ? 0 : 1;
    }

    public static string Word(TaskState state) => state.ToString().ToLowerInvariant();

    /// <summary>"0-3,7,9-10": the form `sbatch --array` takes.</summary>
    public static string Ranges(IReadOnlyList<int> sorted)
    {
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return string.Join(",", parts);
    }
}
