using System.Text.RegularExpressions;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Runs;
using DqnStudy.Environments;

namespace DqnStudy.Agent.Sweeps;

/// <summary>One config at one grid point: a run group, &lt;out&gt;/&lt;sweep&gt;/&lt;Name&gt;/seed-*.</summary>
/// <param name="GridPoint">The grid point's overrides, <c>key=value</c>, in the sweep file's order.</param>
/// <param name="Config">The config with the sweep's <c>set:</c> and the grid point applied, validated.</param>
public sealed record SweepGroup(SweepConfig File, IReadOnlyList<string> GridPoint, string Name, string Label,
                                DqnConfig Config, IReadOnlyList<int> Seeds);

/// <summary>One task: one seed of one group. <see cref="Index"/> is what `sweep run --task` takes.</summary>
public sealed record SweepTask(int Index, SweepGroup Group, int Seed);

/// <summary>
/// A sweep expanded into numbered tasks: configs × grid points × seeds, in that order (seeds innermost), so the
/// same sweep file always numbers its tasks the same way on every machine that reads it.
/// </summary>
public sealed partial class SweepPlan
{
    private SweepPlan(SweepFile file, IReadOnlyList<SweepGroup> groups)
    {
        File = file;
        Groups = groups;
        var tasks = new List<SweepTask>();
        foreach (SweepGroup group in groups)
        {
            foreach (int seed in group.Seeds) tasks.Add(new SweepTask(tasks.Count, group, seed));
        }
        Tasks = tasks;
    }

    public SweepFile File { get; }
    public IReadOnlyList<SweepGroup> Groups { get; }
    public IReadOnlyList<SweepTask> Tasks { get; }
    public string Name => File.Name;

    /// <summary>The sweep's folder under a runs root: the group folders live in it.</summary>
    public string Root(string outRoot) => RunPaths.Group(outRoot, File.Name);

    public string SeedFolder(string outRoot, SweepTask task) => RunPaths.Seed(Root(outRoot), task.Group.Name, task.Seed);

    /// <summary>Reads and expands a sweep file, loading every config at every grid point so that a bad key or
    /// value is reported before anything is submitted. Throws <see cref="ConfigException"/> with every problem.</summary>
    public static SweepPlan Load(string path) => Expand(SweepParser.Load(path));

    public static SweepPlan Expand(SweepFile file)
    {
        var errors = new List<ConfigError>();
        var points = GridPoints(file.Grid);
        var loaded = new List<(SweepConfig File, IReadOnlyList<string> Point, DqnConfig Config)>();
        string display = Path.GetFileName(file.Path);
        foreach (SweepConfig config in file.Configs)
        {
            foreach (IReadOnlyList<string> point in points)
            {
                try
                {
                    loaded.Add((config, point, ConfigLoader.Load(config.FullPath, [.. file.Set, .. point], EnvironmentRegistry.Ids)));
                }
                catch (ConfigException e)
                {
                    string at = point.Count == 0 ? config.AsWritten : $"{config.AsWritten} at {string.Join(", ", point)}";
                    errors.AddRange(e.Errors.Select(error => error.File == "--set"
                        ? error with { File = display, Message = $"{error.Message} (in {at})" }
                        : error with { Message = $"{error.Message} (in {display}: {at})" }));
                }
            }
        }
        foreach (var sameName in loaded.GroupBy(l => l.Config.Name).Where(g => g.Select(l => l.File).Distinct().Count() > 1))
        {
            errors.Add(new ConfigError(display, "configs", $"{string.Join(" and ", sameName.Select(l => l.File.AsWritten).Distinct())} have the same name '{sameName.Key}'; each config needs its own (its runs' folder)", null, null));
        }
        if (errors.Count > 0) throw new ConfigException(errors.Distinct().ToList());

        var names = GroupNames(file.Grid, loaded.Select(l => (l.Config.Name, l.Point)).ToList());
        var groups = loaded.Select((l, i) => new SweepGroup(l.File, l.Point, names[i].Name, names[i].Label, l.Config,
                                                             file.Seeds ?? Enumerable.Range(0, l.Config.Training.Seeds).ToArray()))
                           .ToList();
        return new SweepPlan(file, groups);
    }

    /// <summary>Every combination of the axes' values, the last axis fastest; one empty point without a grid.</summary>
    public static List<IReadOnlyList<string>> GridPoints(IReadOnlyList<GridAxis> grid)
    {
        var points = new List<IReadOnlyList<string>> { Array.Empty<string>() };
        foreach (GridAxis axis in grid)
        {
            points = points.SelectMany(p => axis.Values.Select(v => (IReadOnlyList<string>)[.. p, $"{axis.Key}={v}"])).ToList();
        }
        return points;
    }

    /// <summary>
    /// "huber_learning_rate-1.0e-3" (folder) and "huber learning_rate=1.0e-3" (label): the config's name, then each
    /// grid key (its last segment when that is unambiguous) with its value. Names that would collide or outgrow a
    /// run name fall back to the grid point's number ("huber_g3") for the whole sweep.
    /// </summary>
    private static List<(string Name, string Label)> GroupNames(IReadOnlyList<GridAxis> grid, List<(string Config, IReadOnlyList<string> Point)> groups)
    {
        var lastSegments = grid.Select(a => a.Key.Split('.')[^1]).ToList();
        bool shortKeys = lastSegments.Distinct().Count() == lastSegments.Count;
        string KeyName(int axis) => shortKeys ? lastSegments[axis] : grid[axis].Key;

        var named = groups.Select(g =>
        {
            var values = g.Point.Select(p => p[(p.IndexOf('=') + 1)..]).ToList();
            string name = g.Config + string.Concat(values.Select((v, axis) => $"_{KeyName(axis)}-{Safe(v)}"));
            string label = string.Join(" ", [g.Config, .. values.Select((v, axis) => $"{KeyName(axis)}={v}")]);
            return (Name: name, Label: label);
        }).ToList();
        if (named.Select(n => n.Name).Distinct().Count() == named.Count && named.All(n => RunPaths.CheckName(n.Name) is null))
            return named;

        int perConfig = Math.Max(1, GridPoints(grid).Count);
        return named.Select((n, i) => (Name: $"{groups[i].Config}_g{i % perConfig}", n.Label)).ToList();
    }

    [GeneratedRegex("[^A-Za-z0-9.-]+")]
    private static partial Regex Unsafe();

    private static string Safe(string value) => Unsafe().Replace(value, "-").Trim('-');
}
