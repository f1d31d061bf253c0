using System.Globalization;
using System.Reflection;

namespace DqnStudy.Agent.Config;

/// <summary>Turns a merged YAML tree into a <see cref="DqnConfig"/>: unknown keys and wrong types become errors
/// (with the node's file, line and column); absent keys keep the model's defaults.</summary>
internal static class ConfigBinder
{
    /// <summary>Keys the loader consumes before binding; not part of the model.</summary>
    public static readonly string[] Directives = ["extends"];

    public static DqnConfig Bind(YMap root, List<ConfigError> errors, HashSet<string> failedPaths) =>
        (DqnConfig)BindSection(typeof(DqnConfig), root, "", errors, failedPaths);

    private static object BindSection(Type type, YMap map, string prefix, List<ConfigError> errors, HashSet<string> failed)
    {
        object instance = Activator.CreateInstance(type)!;
        IReadOnlyList<(string Key, PropertyInfo Property)> properties = ConfigSchema.Properties(type);
        foreach (YEntry entry in map.Entries)
        {
            string path = prefix.Length == 0 ? entry.Key : $"{prefix}.{entry.Key}";
            if (prefix.Length == 0 && Directives.Contains(entry.Key))
            {
                continue;
            }
            PropertyInfo? property = properties.FirstOrDefault(p => p.Key == entry.Key).Property;
            if (property is null)
            {
                string message = ConfigSchema.UnknownKeyMessage(entry.Key, properties.Select(p => p.Key));
                errors.Add(new ConfigError(entry.Value.File, path, message, entry.Line, entry.Column));
                continue;
            }
            object? value = Convert(property.PropertyType, entry.Value, path, errors, failed);
            if (value is null)
            {
                failed.Add(path);
            }
            else
            {
                property.SetValue(instance, value);
            }
        }
        return instance;
    }

    private static object? Convert(Type type, YNode node, string path, List<ConfigError> errors, HashSet<string> failed)
    {
        if (ConfigSchema.IsSection(type))
        {
            if (node is YScalar { IsNull: true })
            {
                return Activator.CreateInstance(type);
            }
            if (node is YMap map)
            {
                return BindSection(type, map, path, errors, failed);
            }
            return Fail(errors, node, path, $"expected a section (a map of keys: {string.Join(", ", ConfigSchema.Properties(type).Select(p => p.Key))})");
        }
        if (type == typeof(ValueList<int>))
        {
            if (node is not YList list)
            {
                return Fail(errors, node, path, $"expected a list of integers, e.g. [64, 64]; got {Describe(node)}");
            }
            var items = new List<int>(list.Items.Count);
            bool ok = true;
            for (int i = 0; i < list.Items.Count; i++)
            {
                object? item = Convert(typeof(int), list.Items[i], $"{path}[{i}]", errors, failed);
                ok &= item is not null;
                items.Add(item is int v ? v : 0);
            }
            return ok ? new ValueList<int>(items) : null;
        }
        if (type == typeof(ValueList<ConvLayerConfig>))
        {
            if (node is not YList list)
            {
                return Fail(errors, node, path, $"expected a list of layers, e.g. [{{filters: 16, kernel: 3, stride: 1, padding: 0}}]; got {Describe(node)}");
            }
            var items = new List<ConvLayerConfig>(list.Items.Count);
            bool ok = true;
            for (int i = 0; i < list.Items.Count; i++)
            {
                object? item = Convert(typeof(ConvLayerConfig), list.Items[i], $"{path}[{i}]", errors, failed);
                ok &= item is not null;
                if (item is ConvLayerConfig layer) items.Add(layer);
            }
            return ok ? new ValueList<ConvLayerConfig>(items) : null;
        }
        if (type == typeof(ValueMap))
        {
            if (node is YScalar { IsNull: true })
            {
                return ValueMap.Empty;
            }
            if (node is not YMap map)
            {
                return Fail(errors, node, path, $"expected a map of names to scalars, e.g. {{p: 0.5}}; got {Describe(node)}");
            }
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (YEntry entry in map.Entries)
            {
                if (entry.Value is YScalar { IsNull: false } s)
                {
                    pairs.Add(new(entry.Key, s.Value));
                }
                else
                {
                    Fail(errors, entry.Value, $"{path}.{entry.Key}", $"expected a scalar value; got {Describe(entry.Value)}");
                    return null;
                }
            }
            return new ValueMap(pairs);
        }
        if (node is not YScalar scalar || scalar.IsNull)
        {
            return Fail(errors, node, path, $"expected {Expected(type)}; got {Describe(node)}");
        }
        if (type == typeof(string))
        {
            return scalar.Value;
        }
        if (type.IsEnum)
        {
            string[] names = ConfigSchema.EnumNames(type);
            int index = Array.IndexOf(names, scalar.Value);
            if (index >= 0)
            {
                return Enum.GetValues(type).GetValue(index);
            }
            string? near = ConfigSchema.Closest(scalar.Value, names);
            string hint = near is null ? "" : $"; did you mean '{near}'?";
            return Fail(errors, node, path, $"'{scalar.Value}' is not allowed; allowed: {string.Join(", ", names)}{hint}");
        }
        if (!scalar.Plain)
        {
            return Fail(errors, node, path, $"expected {Expected(type)}; got the quoted string \"{scalar.Value}\"");
        }
        string text = scalar.Value;
        if (type == typeof(bool))
        {
            if (text.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            if (text.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        else if (type == typeof(double))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            {
                return double.IsFinite(d) ? d : Fail(errors, node, path, $"must be a finite number; got '{text}'");
            }
        }
        else if (type == typeof(int) || type == typeof(long))
        {
            // Integers may be written as 100_000 or 1e5 (RL Zoo files do both); fractions are an error.
            string digits = text.Replace("_", "", StringComparison.Ordinal);
            long max = type == typeof(int) ? int.MaxValue : long.MaxValue;
            long min = type == typeof(int) ? int.MinValue : long.MinValue;
            bool parsed = long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n);
            if (!parsed && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                && double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9.0e15)
            {
                parsed = true;
                n = (long)d;
            }
            else if (!parsed && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                return Fail(errors, node, path, $"expected {Expected(type)}; got '{text}' (out of range or not a whole number)");
            }
            if (parsed)
            {
                return n < min || n > max
                    ? Fail(errors, node, path, $"{text} is out of range for {Expected(type)}")
                    : type == typeof(int) ? (object)(int)n : n;
            }
        }
        return Fail(errors, node, path, $"expected {Expected(type)}; got '{Truncate(text)}'");
    }

    private static string Expected(Type type) =>
        type == typeof(int) || type == typeof(long) ? "an integer"
        : type == typeof(double) ? "a number"
        : type == typeof(bool) ? "true or false"
        : type.IsEnum ? $"one of: {string.Join(", ", ConfigSchema.EnumNames(type))}"
        : "a string";

    private static string Describe(YNode node) => node switch
    {
        YScalar { IsNull: true } => "nothing (null)",
        YScalar s => $"'{Truncate(s.Value)}'",
        YList => "a list",
        _ => "a map",
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static object? Fail(List<ConfigError> errors, YNode node, string path, string message)
    {
        errors.Add(new ConfigError(node.File, path, message, node.Line, node.Column));
        return null;
    }
}
