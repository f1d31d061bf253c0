namespace DqnStudy.Agent.Compare;

/// <summary>One config key whose value differs between groups: the value per group ("—" when absent).</summary>
public sealed record ConfigDifference(string Key, IReadOnlyList<string> Values);

/// <summary>
/// What actually differs between the arms: each group's resolved config.yaml files, flattened to key.path → value.
/// Within a group a key with one value shows it; a key whose value varies across seeds (e.g. <c>seed</c>) shows
/// "varies: a, b, …". A key is reported when those per-group texts are not all equal. Works on text, so it also
/// reads configs of other versions; resume's typed check of one config against another is <see cref="Config.ConfigDiff"/>.
/// </summary>
public static class FlatConfigDiff
{
    public const string Missing = "—";

    public static IReadOnlyList<ConfigDifference> Compute(IReadOnlyList<RunGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var perGroup = groups.Select(Summarise).ToList();
        var keys = perGroup.SelectMany(g => g.Keys).Distinct().Order(StringComparer.Ordinal);
        var differences = new List<ConfigDifference>();
        foreach (string key in keys)
        {
            string[] values = perGroup.Select(g => g.TryGetValue(key, out string? v) ? v : Missing).ToArray();
            if (values.Distinct(StringComparer.Ordinal).Count() > 1)
            {
                differences.Add(new ConfigDifference(key, values));
            }
        }
        return differences;
    }

    /// <summary>True when no seed of the group has a config.yaml (e.g. an SB3 folder).</summary>
    public static bool HasNoConfig(RunGroup group) => group.Seeds.All(s => s.Config is null);

    private static Dictionary<string, string> Summarise(RunGroup group)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var configs = group.Seeds.Select(s => s.Config).OfType<IReadOnlyDictionary<string, string>>().ToList();
        foreach (string key in configs.SelectMany(c => c.Keys).Distinct())
        {
            var values = configs.Select(c => c.TryGetValue(key, out string? v) ? v : Missing).Distinct(StringComparer.Ordinal).ToList();
            result[key] = values.Count == 1 ? values[0] : "varies: " + string.Join(", ", values);
        }
        return result;
    }
}
