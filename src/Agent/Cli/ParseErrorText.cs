using System.CommandLine.Parsing;
using System.Globalization;

namespace DqnStudy.Agent.Cli;

/// <summary>Parse errors as a user reads them: System.CommandLine says a value is not a
/// "System.Nullable`1[System.Int64]"; this says which option wanted what kind of number.</summary>
public static class ParseErrorText
{
    public static string Describe(ParseError error)
    {
        if (error.SymbolResult is OptionResult option && option.Tokens.Count > 0
            && Kind(Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType) is { } kind)
        {
            string given = option.Tokens[^1].Value;
            if (!IsNumber(given, option.Option.ValueType))
                return $"{option.Option.Name} expects {kind}, not '{given}'.";
        }
        return error.Message;
    }

    private static string? Kind(Type type) =>
        type == typeof(int) ? $"a whole number (up to {int.MaxValue:N0})"
        : type == typeof(long) ? $"a whole number (up to {long.MaxValue:N0})"
        : type == typeof(double) || type == typeof(float) ? "a number, e.g. 0.01"
        : null;

    private static bool IsNumber(string text, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(int) ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : type == typeof(long) ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
    }
}
