using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace DqnStudy.Agent.Config;

/// <summary>The YAML key set, read off the model by reflection so that the model stays the only list of keys:
/// PascalCase properties become snake_case keys, records other than the value collections become sections.</summary>
internal static class ConfigSchema
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<(string Key, PropertyInfo Property)>> s_properties = new();

    private static readonly Dictionary<Enum, string> s_enumSpellings = new()
    {
        [Nn.Losses.LossKind.DeepMindClamp] = "deepmind_clamp",
    };

    /// <summary>Every leaf key path in declaration order (<c>network.hidden_sizes</c>, <c>env_kwargs</c>, ...).</summary>
    public static IReadOnlyList<string> LeafPaths { get; } = CollectLeaves(typeof(DqnConfig), "").ToList();

    public static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1])))
            {
                sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    public static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && type != typeof(ValueMap)
        && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueList<>));

    /// <summary>The keys of a section, in declaration order (metadata order is stable for a given build).</summary>
    public static IReadOnlyList<(string Key, PropertyInfo Property)> Properties(Type section) =>
        s_properties.GetOrAdd(section, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .OrderBy(p => p.MetadataToken)
            .Select(p => (p.GetCustomAttribute<ConfigKeyAttribute>()?.Key ?? SnakeCase(p.Name), p))
            .ToList());

    /// <summary>How YAML spells an enum value: snake_case of its name (LeakyRelu → leaky_relu), except the few
    /// members named after a brand that YAML writes as one word (Nn's LossKind.DeepMindClamp → deepmind_clamp).</summary>
    public static string EnumName(Enum value) =>
        s_enumSpellings.TryGetValue(value, out string? spelled) ? spelled : SnakeCase(value.ToString());

    /// <summary>Every value's YAML name in declaration order: the "allowed:" list of an error message.</summary>
    public static string[] EnumNames(Type enumType) => Enum.GetValues(enumType).Cast<Enum>().Select(EnumName).ToArray();

    /// <summary>The section type at a dotted path, or null if the path is not a section.</summary>
    public static Type? SectionAt(string path)
    {
        Type type = typeof(DqnConfig);
        if (path.Length == 0)
        {
            return type;
        }
        foreach (string segment in path.Split('.'))
        {
            PropertyInfo? property = Properties(type).FirstOrDefault(p => p.Key == segment).Property;
            if (property is null || !IsSection(property.PropertyType))
            {
                return null;
            }
            type = property.PropertyType;
        }
        return type;
    }

    /// <summary>"unknown key; did you mean 'gamma'?" with the closest key at this level, else the closest leaf
    /// anywhere (a root-level <c>gamma</c> suggests <c>dqn.gamma</c>), else the list of valid keys here.</summary>
    public static string UnknownKeyMessage(string key, IEnumerable<string> siblings)
    {
        string[] here = siblings.ToArray();
        string? near = Closest(key, here);
        string? elsewhere = Closest(key, LeafPaths, p => p[(p.LastIndexOf('.') + 1)..]);
        // A key one typo away from a key of another section (root `gama` → `dqn.gamma`) beats a sibling two away (`name`).
        if (elsewhere is not null && !here.Contains(elsewhere)
            && (near is null || Distance(key, elsewhere[(elsewhere.LastIndexOf('.') + 1)..]) < Distance(key, near)))
        {
            return $"unknown key here; did you mean '{elsewhere}'?";
        }
        if (near is not null)
        {
            return $"unknown key; did you mean '{near}'?";
        }
        return $"unknown key; valid keys here: {string.Join(", ", here)}";
    }

    private static int Distance(string word, string candidate) => EditDistance(word.ToLowerInvariant(), candidate);

    public static string? Closest(string word, IEnumerable<string> candidates, Func<string, string>? keyOf = null)
    {
        keyOf ??= s => s;
        int limit = Math.Max(2, word.Length / 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int d = EditDistance(word.ToLowerInvariant(), keyOf(candidate));
            if (d < bestDistance && d <= limit)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /// <summary>Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent transpositions.</summary>
    public static int EditDistance(string a, string b)
    {
        if (a.Length > 256 || b.Length > 256)
        {
            return int.MaxValue; // nothing that long is a typo of a key
        }
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }

    private static IEnumerable<string> CollectLeaves(Type section, string prefix)
    {
        foreach ((string key, PropertyInfo property) in Properties(section))
        {
            string path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (IsSection(property.PropertyType))
            {
                foreach (string leaf in CollectLeaves(property.PropertyType, path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
