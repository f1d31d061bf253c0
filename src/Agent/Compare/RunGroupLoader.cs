using System.Text.RegularExpressions;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// Turns command-line arguments into groups. Each argument is one group: a group folder (its <c>seed-*</c> or other
/// run subfolders are the seeds), a single seed folder, or a quoted glob whose matches together form one group.
/// Unreadable seeds and seeds on another env than the first group's are left out with a problem naming the file.
/// </summary>
public static class RunGroupLoader
{
    public static LoadResult Load(IReadOnlyList<string> arguments, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(labels);
        var problems = new List<string>();
        if (labels.Count > arguments.Count)
        {
            problems.Add($"{labels.Count} labels given for {arguments.Count} groups; extra labels ignored");
        }

        var groups = new List<RunGroup>();
        var usedLabels = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < arguments.Count; i++)
        {
            string argument = arguments[i];
            List<string> seedFolders = ResolveSeedFolders(argument, problems);
            var seeds = new List<SeedRun>();
            foreach (string folder in seedFolders)
            {
                try
                {
                    SeedRun run = SeedRun.Load(folder, seeds.Count);
                    problems.AddRange(run.Notes);
                    seeds.Add(run);
                }
                catch (RunDataException e)
                {
                    problems.Add(e.Message + "; seed left out");
                }
            }
            if (seeds.Count == 0)
            {
                if (seedFolders.Count > 0)
                {
                    problems.Add($"{argument}: no readable seed; group left out");
                }
                continue;
            }

            string label = i < labels.Count && !string.IsNullOrWhiteSpace(labels[i]) ? labels[i] : DefaultLabel(argument, seedFolders);
            string unique = label;
            for (int k = 2; !usedLabels.Add(unique); k++)
            {
                unique = $"{label} ({k})";
            }
            groups.Add(new RunGroup(unique, argument, seeds));
        }

        string? env = groups.Select(g => g.EnvId).FirstOrDefault(e => e is not null);
        if (env is not null)
        {
            for (int g = 0; g < groups.Count; g++)
            {
                var kept = new List<SeedRun>();
                foreach (SeedRun seed in groups[g].Seeds)
                {
                    if (seed.EnvId is not null && seed.EnvId != env)
                    {
                        problems.Add($"{seed.EnvIdSource}: env '{seed.EnvId}' differs from '{env}' (the first group's); seed left out");
                    }
                    else
                    {
                        kept.Add(seed);
                    }
                }
                groups[g] = groups[g] with { Seeds = kept };
            }
            foreach (RunGroup empty in groups.Where(g => g.Seeds.Count == 0))
            {
                problems.Add($"{empty.Source}: every seed is on another env than '{env}'; group '{empty.Label}' left out");
            }
            groups.RemoveAll(g => g.Seeds.Count == 0);
        }
        return new LoadResult(groups, problems, env);
    }

    private static List<string> ResolveSeedFolders(string argument, List<string> problems)
    {
        List<string> roots;
        if (argument.IndexOfAny(['*', '?', '[']) >= 0)
        {
            roots = ExpandGlob(argument);
            if (roots.Count == 0)
            {
                problems.Add($"{argument}: the pattern matches no folder");
                return [];
            }
        }
        else if (!Directory.Exists(argument))
        {
            problems.Add($"{argument}: folder not found");
            return [];
        }
        else
        {
            roots = [argument];
        }

        var seeds = new List<string>();
        foreach (string root in roots)
        {
            if (SeedRun.LooksLikeRun(root))
            {
                seeds.Add(root);
                continue;
            }
            List<string> children = Directory.EnumerateDirectories(root).Where(SeedRun.LooksLikeRun)
                .OrderBy(SeedKey).ThenBy(d => d, StringComparer.Ordinal).ToList();
            if (children.Count == 0)
            {
                problems.Add($"{root}: no seed folders (seed-*/ with monitor.csv or progress.csv) and no run files; left out");
            }
            seeds.AddRange(children);
        }
        return seeds;
    }

    private static int SeedKey(string folder)
    {
        Match m = Regex.Match(Path.GetFileName(folder), @"(\d+)$");
        return m.Success && int.TryParse(m.Groups[1].Value, out int n) ? n : int.MaxValue;
    }

    private static string DefaultLabel(string argument, List<string> seedFolders)
    {
        string trimmed = Path.TrimEndingDirectorySeparator(argument);
        if (argument.IndexOfAny(['*', '?', '[']) >= 0)
        {
            return trimmed;
        }
        if (seedFolders.Count == 1 && seedFolders[0] == argument)
        {
            string parent = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(trimmed)) ?? "");
            return parent.Length > 0 ? $"{parent}/{Path.GetFileName(trimmed)}" : Path.GetFileName(trimmed);
        }
        string name = Path.GetFileName(Path.GetFullPath(trimmed));
        return name.Length > 0 ? name : trimmed;
    }

    /// <summary>Matches '*', '?' and '[...]' within path segments; returns directories only, sorted.</summary>
    public static List<string> ExpandGlob(string pattern)
    {
        string normalized = pattern.Replace('\\', '/');
        bool rooted = normalized.StartsWith('/');
        string[] segments = normalized.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { rooted ? "/" : "." };
        foreach (string segment in segments)
        {
            var next = new List<string>();
            bool wild = segment.IndexOfAny(['*', '?', '[']) >= 0;
            Regex? regex = wild ? new Regex("^" + Regex.Escape(segment).Replace(@"\*", "[^/]*").Replace(@"\?", ".").Replace(@"\[", "[") + "$") : null;
            foreach (string dir in current)
            {
                if (!wild)
                {
                    string candidate = dir == "." && !rooted ? segment : Path.Combine(dir, segment);
                    if (Directory.Exists(candidate))
                    {
                        next.Add(candidate);
                    }
                    continue;
                }
                if (!Directory.Exists(dir))
                {
                    continue;
                }
                foreach (string child in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
                {
                    string name = Path.GetFileName(child);
                    if (regex!.IsMatch(name))
                    {
                        next.Add(dir == "." && !rooted ? name : child);
                    }
                }
            }
            current = next;
        }
        return current;
    }
}
