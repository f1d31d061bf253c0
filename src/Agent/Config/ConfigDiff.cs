using System.Reflection;

namespace DqnStudy.Agent.Config;

/// <summary>One config key whose value differs: its value in each config compared (YAML text), in the caller's order.</summary>
public sealed record ConfigDifference(string Key, IReadOnlyList<string> Values);

/// <summary>
/// Key-by-key differences between configs, on their flattened form (dotted key path → value as YAML text).
/// Two sources flatten to that form: a loaded <see cref="DqnConfig"/> (resume's check of the recorded config against
/// the requested one) and a config.yaml read through the loader's own YAML tree without binding it (compare's arms,
/// which may come from other versions of the tool).
/// </summary>
public static class ConfigDiff
{
    /// <summary>The value shown for a key one config has and another lacks.</summary>
    public const string Unset = "(unset)";

    /// <summary>What compare's table shows for a key an arm's configs lack.</summary>
    public const string Absent = "—";

    /// <summary>Every leaf whose value differs, in the model's key order, with Values = [a, b] as YAML text;
    /// an env_kwargs entry present on one side only shows "(unset)" on the other.</summary>
    public static IReadOnlyList<ConfigDifference> Diff(DqnConfig a, DqnConfig b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        List<(string Path, string Value)> left = Flatten(a, "").ToList();
        List<(string Path, string Value)> right = Flatten(b, "").ToList();
        var leftPaths = left.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var keys = left.Select(p => p.Path).Concat(right.Select(p => p.Path).Where(p => !leftPaths.Contains(p)));
        var columns = new[] { ToMap(left), ToMap(right) };
        // Model key order; env_kwargs entries sit at env_kwargs's place, by name.
        return Differing(keys, columns, Unset).OrderBy(d => Order(d.Key)).ThenBy(d => d.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>Differences across groups of flattened configs (compare's arms, each with one config per seed), keys in
    /// ordinal order. Within a group a key with one value shows it, one whose value varies across seeds (e.g. seed)
    /// shows "varies: a, b, …", and a key some configs lack shows "—" (in the group or among the varying values); a key is reported when those
    /// per-group texts are not all equal.</summary>
    public static IReadOnlyList<ConfigDifference> Across(IReadOnlyList<IReadOnlyList<IReadOnlyDictionary<string, string>>> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var perGroup = groups.Select(Summarise).ToList();
        var keys = perGroup.SelectMany(g => g.Keys).Distinct().Order(StringComparer.Ordinal);
        return Differing(keys, perGroup, Absent).ToList();
    }

    /// <summary>A config.yaml's text flattened to key path → value without binding it to <see cref="DqnConfig"/>
    /// (so keys of other versions survive): lists become "[a, b]", maps inside lists "{k: v}". Malformed YAML throws
    /// <see cref="ConfigException"/> naming the file, line and column.</summary>
    public static IReadOnlyDictionary<string, string> Flatten(string yaml, string file)
    {
        var errors = new List<ConfigError>();
        YNode? root = YamlTree.Parse(yaml, file, errors, out bool ok);
        if (!ok)
        {
            throw new ConfigException(errors);
        }
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (root is not null)
        {
            Walk(root, "", result);
        }
        return result;
    }

    private static IEnumerable<ConfigDifference> Differing(IEnumerable<string> keys, IReadOnlyList<IReadOnlyDictionary<string, string>> columns, string missing)
    {
        foreach (string key in keys)
        {
            string[] values = columns.Select(c => c.TryGetValue(key, out string? v) ? v : missing).ToArray();
            if (values.Distinct(StringComparer.Ordinal).Count() > 1)
            {
                yield return new ConfigDifference(key, values);
            }
        }
    }

    private static Dictionary<string, string> ToMap(IEnumerable<(string Path, string Value)> leaves) =>
        leaves.ToDictionary(p => p.Path, p => p.Value, StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, string> Summarise(IReadOnlyList<IReadOnlyDictionary<string, string>> configs)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in configs.SelectMany(c => c.Keys).Distinct())
        {
            var values = configs.Select(c => c.TryGetValue(key, out string? v) ? v : Absent).Distinct(StringComparer.Ordinal).ToList();
            result[key] = values.Count == 1 ? values[0] : "varies: " + string.Join(", ", values);
        }
        return result;
    }

    private static int IndexOfPath(string path)
    {
        for (int i = 0; i < ConfigSchema.LeafPaths.Count; i++)
        {
            if (ConfigSchema.LeafPaths[i] == path)
            {
                return i;
            }
        }
        return -1;
    }

    private static int Order(string path)
    {
        int i = IndexOfPath(path);
        return i >= 0 ? i : IndexOfPath(path[..Math.Max(0, path.IndexOf('.'))]);
    }

    private static IEnumerable<(string Path, string Value)> Flatten(object section, string prefix)
    {
        foreach ((string key, PropertyInfo property) in ConfigSchema.Properties(section.GetType()))
        {
            string path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            object value = property.GetValue(section)!;
            if (ConfigSchema.IsSection(property.PropertyType))
            {
                foreach ((string, string) leaf in Flatten(value, path))
                {
                    yield return leaf;
                }
            }
            else if (value is ValueMap map)
            {
                foreach ((string name, string text) in map)
                {
                    yield return ($"{path}.{name}", text);
                }
            }
            else
            {
                yield return (path, ConfigWriter.Format(value));
            }
        }
    }

    private static void Walk(YNode node, string prefix, IDictionary<string, string> result)
    {
        switch (node)
        {
            case YMap map:
                foreach (YEntry entry in map.Entries)
                {
                    Walk(entry.Value, prefix.Length == 0 ? entry.Key : $"{prefix}.{entry.Key}", result);
                }
                break;
            case YList list:
                result[prefix] = Render(list);
                break;
            case YScalar scalar:
                result[prefix] = scalar.Value;
                break;
        }
    }

    private static string Render(YNode node) => node switch
    {
        YScalar s => s.Value,
        YList l => "[" + string.Join(", ", l.Items.Select(Render)) + "]",
        YMap m => "{" + string.Join(", ", m.Entries.Select(e => $"{e.Key}: {Render(e.Value)}")) + "}",
        _ => "",
    };
}
