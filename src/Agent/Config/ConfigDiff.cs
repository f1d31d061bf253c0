using System.Reflection;

namespace DqnStudy.Agent.Config;

/// <summary>Key-by-key differences between two configs (resume safety, compare reports).</summary>
public static class ConfigDiff
{
    /// <summary>Every leaf whose value differs, in the model's key order, with both values as YAML text;
    /// an env_kwargs entry present on one side only shows "(unset)" on the other.</summary>
    public static IReadOnlyList<(string KeyPath, string A, string B)> Diff(DqnConfig a, DqnConfig b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        List<(string Path, string Value)> left = Flatten(a, "").ToList();
        List<(string Path, string Value)> right = Flatten(b, "").ToList();
        var rightByPath = right.ToDictionary(p => p.Path, p => p.Value, StringComparer.Ordinal);
        var leftPaths = left.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var diffs = new List<(string, string, string)>();
        foreach ((string path, string value) in left)
        {
            string other = rightByPath.TryGetValue(path, out string? v) ? v : "(unset)";
            if (other != value)
            {
                diffs.Add((path, value, other));
            }
        }
        foreach ((string path, string value) in right.Where(p => !leftPaths.Contains(p.Path)))
        {
            diffs.Add((path, "(unset)", value));
        }
        // Model key order; env_kwargs entries sit at env_kwargs's place, by name.
        return diffs.OrderBy(d => Order(d.Item1)).ThenBy(d => d.Item1, StringComparer.Ordinal).ToList();
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
}
