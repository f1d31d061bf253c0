using System.Globalization;
using System.Text;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Runs;

namespace DqnStudy.Agent.Sweeps;

/// <summary>
/// Reads a sweep file into a <see cref="SweepFile"/>. Every problem is collected with its file, line and key and thrown
/// together as one <see cref="ConfigException"/>, like a config's: unknown keys (with the allowed ones), empty or
/// non-list grid values, bad seeds, configs that cannot be found.
/// </summary>
public static class SweepParser
{
    public static readonly string[] Keys = ["name", "configs", "grid", "seeds", "set"];
    public const int MaxSeeds = 100_000;

    public static SweepFile Load(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string display = path;
        var errors = new List<ConfigError>();
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(display, "", $"cannot read the sweep file: {e.Message}", null, null)]);
        }
        YNode? root = YamlTree.Parse(text, display, errors, out bool ok);
        if (!ok) throw new ConfigException(errors);
        if (root is not YMap map)
        {
            throw new ConfigException([new ConfigError(display, "", "a sweep file is a map with the keys " + string.Join(", ", Keys)
                                                                      + " (e.g. 'configs: [huber.yaml]')", root?.Line, root?.Column)]);
        }

        foreach (YEntry entry in map.Entries.Where(e => !Keys.Contains(e.Key)))
        {
            errors.Add(new ConfigError(display, entry.Key, $"unknown key; a sweep file has: {string.Join(", ", Keys)}", entry.Line, entry.Column));
        }

        string name = System.IO.Path.GetFileNameWithoutExtension(full);
        if (map.Find("name") is { } nameEntry)
        {
            if (nameEntry.Value is YScalar { IsNull: false } s) name = s.Value;
            else errors.Add(At(display, nameEntry, "expected a plain name, e.g. 'name: clipping-grid'"));
        }
        if (RunPaths.CheckName(name) is { } problem)
        {
            YEntry? e = map.Find("name");
            errors.Add(new ConfigError(display, "name", problem + " (it names the sweep's folder under the runs root)", e?.Value.Line, e?.Value.Column));
        }

        var configs = ReadConfigs(display, full, map, errors);
        var grid = ReadGrid(display, map, errors);
        var seeds = ReadSeeds(display, map, errors);
        var set = ReadSet(display, map, errors);
        if (errors.Count > 0) throw new ConfigException(errors);
        return new SweepFile(full, name, configs, grid, seeds, set);
    }

    private static List<SweepConfig> ReadConfigs(string display, string sweepPath, YMap map, List<ConfigError> errors)
    {
        var configs = new List<SweepConfig>();
        YEntry? entry = map.Find("configs");
        if (entry is null)
        {
            errors.Add(new ConfigError(display, "configs", "missing: list the config files to sweep, e.g. 'configs: [huber.yaml, clipped.yaml]'", null, null));
            return configs;
        }
        if (entry.Value is not YList { Items.Count: > 0 } list)
        {
            errors.Add(At(display, entry, "expected a non-empty list of config files, e.g. [huber.yaml, clipped.yaml]"));
            return configs;
        }
        for (int i = 0; i < list.Items.Count; i++)
        {
            YNode item = list.Items[i];
            if (item is not YScalar { IsNull: false } file)
            {
                errors.Add(new ConfigError(display, $"configs[{i}]", "expected a config file name", item.Line, item.Column));
                continue;
            }
            // Next to the sweep file first, then where `--config` looks (as given, configs/).
            string beside = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(sweepPath)!, file.Value);
            try
            {
                string resolved = File.Exists(beside) ? System.IO.Path.GetFullPath(beside) : ConfigLoader.Resolve(file.Value);
                configs.Add(new SweepConfig(file.Value, resolved));
            }
            catch (ConfigException e)
            {
                errors.Add(new ConfigError(display, $"configs[{i}]", $"{file.Value}: not found next to the sweep file nor under configs/ ({e.Errors[0].Message})", item.Line, item.Column));
            }
        }
        foreach (var twice in configs.GroupBy(c => c.FullPath).Where(g => g.Count() > 1))
        {
            errors.Add(new ConfigError(display, "configs", $"{twice.First().AsWritten} is listed {twice.Count()} times", entry.Line, entry.Column));
        }
        return configs;
    }

    private static List<GridAxis> ReadGrid(string display, YMap map, List<ConfigError> errors)
    {
        var axes = new List<GridAxis>();
        if (OptionalMap(display, map, "grid", "lists of values, e.g. 'optimizer.learning_rate: [1.0e-3, 2.3e-3]'", errors) is not { } grid)
            return axes;
        foreach (YEntry axis in grid.Entries)
        {
            string key = $"grid.{axis.Key}";
            if (axis.Value is not YList { Items.Count: > 0 } values)
            {
                string example = axis.Value is YList ? "" : $", e.g. [{Flow(axis.Value)}]";
                errors.Add(new ConfigError(display, key, $"expected a non-empty list of values (every one is tried){example}", axis.Value.Line, axis.Value.Column));
                continue;
            }
            var texts = values.Items.Select(Flow).ToList();
            foreach (var twice in texts.GroupBy(t => t).Where(g => g.Count() > 1))
            {
                errors.Add(new ConfigError(display, key, $"the value {twice.Key} is listed {twice.Count()} times", axis.Value.Line, axis.Value.Column));
            }
            axes.Add(new GridAxis(axis.Key, texts));
        }
        return axes;
    }

    private static List<int>? ReadSeeds(string display, YMap map, List<ConfigError> errors)
    {
        YEntry? entry = map.Find("seeds");
        if (entry is null || entry.Value is YScalar { IsNull: true }) return null;
        const string expected = "expected a seed count (seeds 0..N-1, e.g. 'seeds: 10') or a list of seeds (e.g. [0, 3, 7])";
        if (entry.Value is YScalar count)
        {
            if (int.TryParse(count.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= MaxSeeds)
                return Enumerable.Range(0, n).ToList();
            errors.Add(At(display, entry, $"'{count.Value}': {expected}, with 1 to {MaxSeeds:N0} seeds"));
            return null;
        }
        if (entry.Value is YList { Items.Count: > 0 } list)
        {
            var seeds = new List<int>();
            foreach (YNode item in list.Items)
            {
                if (item is YScalar s && int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) && seed >= 0)
                    seeds.Add(seed);
                else
                    errors.Add(new ConfigError(display, "seeds", $"'{Flow(item)}' is not a seed (an integer ≥ 0)", item.Line, item.Column));
            }
            if (seeds.Distinct().Count() != seeds.Count)
                errors.Add(At(display, entry, "a seed is listed twice"));
            return seeds;
        }
        errors.Add(At(display, entry, expected));
        return null;
    }

    private static List<string> ReadSet(string display, YMap map, List<ConfigError> errors)
    {
        var set = new List<string>();
        if (OptionalMap(display, map, "set", "values, e.g. 'training.total_steps: 100000'", errors) is not { } overrides)
            return set;
        set.AddRange(overrides.Entries.Select(e => $"{e.Key}={Flow(e.Value)}"));
        return set;
    }

    /// <summary>The map under `key` (a map of config keys to `what`); null when absent, empty or not a map (reported).</summary>
    private static YMap? OptionalMap(string display, YMap map, string key, string what, List<ConfigError> errors)
    {
        YEntry? entry = map.Find(key);
        if (entry is null || entry.Value is YScalar { IsNull: true }) return null;
        if (entry.Value is YMap found) return found;
        errors.Add(At(display, entry, $"expected a map of config keys to {what}"));
        return null;
    }

    private static ConfigError At(string display, YEntry entry, string message) =>
        new(display, entry.Key, message, entry.Value.Line ?? entry.Line, entry.Value.Column ?? entry.Column);

    /// <summary>A node as one line of flow YAML, the form a <c>--set key=value</c> reads back to the same value.</summary>
    internal static string Flow(YNode node)
    {
        switch (node)
        {
            case YScalar { Plain: true } s:
                return s.Value;
            case YScalar s:
                return "'" + s.Value.Replace("'", "''", StringComparison.Ordinal) + "'";
            case YList list:
                return "[" + string.Join(", ", list.Items.Select(Flow)) + "]";
            case YMap m:
                var text = new StringBuilder("{");
                text.AppendJoin(", ", m.Entries.Select(e => $"{e.Key}: {Flow(e.Value)}"));
                return text.Append('}').ToString();
            default:
                return "";
        }
    }
}
