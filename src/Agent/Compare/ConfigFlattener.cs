using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Compare;

/// <summary>Reads a run's resolved config.yaml as key path → value text through the config loader's YAML tree
/// (<see cref="ConfigDiff.Flatten(string, string)"/>), so arms of other versions still compare.</summary>
public static class ConfigFlattener
{
    public static IReadOnlyDictionary<string, string> Flatten(string path)
    {
        try
        {
            return ConfigDiff.Flatten(File.ReadAllText(path), path);
        }
        catch (ConfigException e)
        {
            throw new RunDataException(path, $"not valid YAML ({string.Join("; ", e.Errors.Select(x => x.Line is int line ? $"line {line}: {x.Message}" : x.Message))})");
        }
    }

    /// <summary>True when no seed of the group has a config.yaml (e.g. an SB3 folder).</summary>
    public static bool HasNoConfig(RunGroup group) => group.Seeds.All(s => s.Config is null);

    /// <summary>The keys whose value differs between the groups (each group's seeds summarised, see <see cref="ConfigDiff.Across"/>).</summary>
    public static IReadOnlyList<ConfigDifference> Differences(IReadOnlyList<RunGroup> groups) =>
        ConfigDiff.Across(groups.Select(g => (IReadOnlyList<IReadOnlyDictionary<string, string>>)g.Seeds.Select(s => s.Config).OfType<IReadOnlyDictionary<string, string>>().ToList()).ToList());
}
