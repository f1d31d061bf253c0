using System.Globalization;
using System.Reflection;
using System.Text;

namespace DqnStudy.Agent.Config;

/// <summary>The fully resolved config as YAML: every key, in the model's declaration order, no <c>extends:</c>.
/// Loading the output gives an equal <see cref="DqnConfig"/> (tested), so it is what a run folder records.</summary>
public static class ConfigWriter
{
    public static string ToYaml(DqnConfig config)
    {
        var sb = new StringBuilder();
        WriteSection(sb, config, 0);
        return sb.ToString();
    }

    private static void WriteSection(StringBuilder sb, object section, int indent)
    {
        string pad = new(' ', indent);
        foreach ((string key, PropertyInfo property) in ConfigSchema.Properties(section.GetType()))
        {
            object value = property.GetValue(section)!;
            if (ConfigSchema.IsSection(property.PropertyType))
            {
                sb.Append(pad).Append(key).Append(":\n");
                WriteSection(sb, value, indent + 2);
            }
            else if (value is ValueMap { Count: > 0 } map)
            {
                sb.Append(pad).Append(key).Append(":\n");
                foreach ((string name, string text) in map)
                {
                    sb.Append(pad).Append("  ").Append(FormatString(name, looseScalars: false)).Append(": ")
                      .Append(FormatString(text, looseScalars: true)).Append('\n');
                }
            }
            else
            {
                sb.Append(pad).Append(key).Append(": ").Append(Format(value)).Append('\n');
            }
        }
    }

    /// <summary>One value as YAML text; also the value column of <see cref="ConfigDiff"/>.</summary>
    internal static string Format(object value) => value switch
    {
        string s => FormatString(s, looseScalars: false),
        bool b => b ? "true" : "false",
        double d => FormatDouble(d),
        int or long => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
        Enum e => ConfigSchema.EnumName(e),
        ValueList<int> list => "[" + string.Join(", ", list.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]",
        ValueList<ConvLayerConfig> layers => "[" + string.Join(", ", layers.Select(l => "{" + string.Join(", ",
            ConfigSchema.Properties(typeof(ConvLayerConfig)).Select(p => $"{p.Key}: {Format(p.Property.GetValue(l)!)}")) + "}")) + "]",
        ValueMap map => "{" + string.Join(", ", map.Select(p => $"{FormatString(p.Key, false)}: {FormatString(p.Value, true)}")) + "}",
        _ => throw new InvalidOperationException($"no YAML format for {value.GetType()}"),
    };

    /// <summary>Shortest round-trip text, always with a '.' so YAML 1.1 readers (PyYAML) also see a float: 1e-05 → 1.0e-05.</summary>
    internal static string FormatDouble(double d)
    {
        string s = d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        int e = s.IndexOf('e');
        string mantissa = e < 0 ? s : s[..e];
        if (!mantissa.Contains('.'))
        {
            mantissa += ".0";
        }
        return e < 0 ? mantissa : mantissa + s[e..];
    }

    /// <summary>Plain when YAML reads it back as the same string, else double-quoted. <paramref name="looseScalars"/>:
    /// env_kwargs values, where numbers and booleans stay plain (the loader keeps their text either way).</summary>
    private static string FormatString(string s, bool looseScalars)
    {
        bool identifier = s.Length > 0 && (char.IsAsciiLetter(s[0]) || s[0] == '_')
            && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/')
            && !IsReserved(s);
        bool scalar = looseScalars && s.Length > 0 && s.Length < 64
            && (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && s.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '-' or '+')
                || s is "true" or "false");
        if (identifier || scalar)
        {
            return s;
        }
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u0085' or '\u2028' or '\u2029' or '\uFEFF'
                    => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    private static bool IsReserved(string s) =>
        s.ToLowerInvariant() is "true" or "false" or "null" or "yes" or "no" or "on" or "off" or "y" or "n"
            or ".inf" or ".nan";
}
