namespace DqnStudy.Agent.Sweeps;

/// <summary>What `compare --sweep` compares: one group per config and grid point, in the sweep's order, labelled
/// by config name and grid values.</summary>
public static class SweepGroups
{
    public static (IReadOnlyList<string> Folders, IReadOnlyList<string> Labels) For(SweepPlan plan, string outRoot) =>
        (plan.Groups.Select(g => Path.Combine(plan.Root(outRoot), g.Name)).ToList(), plan.Groups.Select(g => g.Label).ToList());

    /// <summary>A new folder for the comparison inside the sweep's folder: compare, or compare-2, -3, … when taken.</summary>
    public static string ReportFolder(SweepPlan plan, string outRoot)
    {
        string folder = Path.Combine(plan.Root(outRoot), "compare");
        for (int k = 2; Directory.Exists(folder); k++) folder = Path.Combine(plan.Root(outRoot), $"compare-{k}");
        return folder;
    }
}
