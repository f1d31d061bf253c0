using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Runs;

namespace DqnStudy.Agent.Hosting;

/// <summary>
/// Checks every seed folder before any training starts, so a mistake costs nothing: a fresh run
/// never overwrites an earlier one, a resume only continues a run with the same config, and an
/// unwritable output folder is reported up front.
/// </summary>
public static class RunFolderPreparer
{
    /// <summary>Returns the seeds that still need training (a resume skips completed ones).</summary>
    public static IReadOnlyList<int> Prepare(TrainingPlan plan, Action<string> log)
    {
        if (RunPaths.CheckName(plan.Name) is { } problem) throw new RunFolderException(problem + ".");
        CheckMemory(plan);
        string group = plan.GroupFolder;
        CheckWritable(plan.OutRoot, group);
        CheckDiskSpace(plan, group);

        var errors = new List<string>();
        var todo = new List<int>();
        foreach (int seed in plan.Seeds)
        {
            string folder = plan.SeedFolder(seed);
            if (SeedFolderFiles.CheckNoLinks(folder, group) is { } link)
            {
                errors.Add(link);
                continue;
            }
            // A folder holding only a lock file is one a refused or stopped start left behind: nothing to keep.
            bool exists = Directory.Exists(folder)
                          && Directory.EnumerateFileSystemEntries(folder).Any(e => Path.GetFileName(e) != RunLock.FileName);
            if (!plan.Resume)
            {
                if (exists)
                    errors.Add($"{Relative(folder)} already exists: add --resume to continue it, or choose another --name (or --out).");
                else
                    todo.Add(seed);
                continue;
            }
            if (!exists)
            {
                todo.Add(seed); // nothing to resume: this seed starts fresh
                continue;
            }
            string recordedPath = RunFolder.PathOf(folder, RunFolder.Config);
            if (File.Exists(recordedPath))
            {
                DqnConfig recorded;
                try
                {
                    recorded = ConfigLoader.Load(recordedPath);
                }
                catch (ConfigException e)
                {
                    errors.Add($"{Relative(recordedPath)}: the recorded config cannot be read: {e.Message}");
                    continue;
                }
                var differences = ConfigDiff.Diff(Checkpoint.ResumeIdentity(recorded), Checkpoint.ResumeIdentity(plan.Config));
                if (differences.Count > 0)
                {
                    errors.Add($"{Relative(folder)} was trained with a different config; refusing to resume. Differing keys: "
                               + string.Join(", ", differences.Select(d => $"{d.Key} (recorded {d.Values[0]}, now {d.Values[1]})")));
                    continue;
                }
            }
            if (RunSummary.TryRead(folder) is { Status: "completed" })
            {
                log($"{Relative(folder)} is already complete; skipping it.");
                continue;
            }
            todo.Add(seed);
        }
        if (errors.Count > 0) throw new RunFolderException(string.Join(Environment.NewLine, errors));
        return todo;
    }

    /// <summary>Sizes the machine cannot hold are refused before any folder is made (MemoryBudget).</summary>
    private static void CheckMemory(TrainingPlan plan)
    {
        var env = DqnComponents.CreateEnvironment(plan.Config);
        int atOnce = Math.Max(1, Math.Min(plan.Parallel, plan.Seeds.Count));
        if (MemoryBudget.Check(plan.Config, env.ObservationSpace.Size, env.ActionSpace.N, atOnce, MemoryBudget.AvailableBytes()) is { } problem)
            throw new RunFolderException(problem);
    }

    /// <summary>A run the output's file system cannot hold is refused before it starts (DiskSpace).</summary>
    private static void CheckDiskSpace(TrainingPlan plan, string group)
    {
        var env = DqnComponents.CreateEnvironment(plan.Config);
        if (DiskSpace.Check(group, plan.Config, env.ObservationSpace.Size, env.ActionSpace.N, plan.Seeds.Count) is { } problem)
            throw new RunFolderException(problem);
    }

    public static void WriteConfig(string folder, DqnConfig config) =>
        AtomicFile.WriteAllText(RunFolder.PathOf(folder, RunFolder.Config), ConfigWriter.ToYaml(config));

    private static void CheckWritable(string outRoot, string group)
    {
        try
        {
            Directory.CreateDirectory(group);
            string probe = Path.Combine(group, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string reason = BlockingFile(group) is { } file ? $"{file} is a file, not a folder." : e.Message;
            throw new RunFolderException($"Cannot write to the output folder {group}: {reason} Choose another with --out.");
        }
    }

    /// <summary>The nearest existing ancestor of `folder` when it is a regular file (the usual reason a
    /// folder cannot be created); null otherwise.</summary>
    private static string? BlockingFile(string folder)
    {
        for (string? path = folder; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path)) return path;
            if (Directory.Exists(path)) return null;
        }
        return null;
    }

    private static string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
}
