namespace DqnStudy.Agent.Config;

/// <summary>One problem in a config. <paramref name="File"/> is the file as shown to the user (or <c>--set</c>),
/// <paramref name="KeyPath"/> the dotted key (e.g. <c>dqn.gamma</c>; empty for the whole file).</summary>
public sealed record ConfigError(string File, string KeyPath, string Message, int? Line, int? Column)
{
    /// <summary>"configs/x.yaml:12:3: dqn.gama: unknown key; did you mean 'gamma'?"</summary>
    public override string ToString()
    {
        string where = File;
        if (Line is int line)
        {
            where += $":{line}";
            if (Column is int column)
            {
                where += $":{column}";
            }
        }
        return KeyPath.Length == 0 ? $"{where}: {Message}" : $"{where}: {KeyPath}: {Message}";
    }
}

/// <summary>Every problem found while loading one config, reported together. The loader throws nothing else.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string Format(IReadOnlyList<ConfigError> errors) =>
        errors.Count == 1
            ? errors[0].ToString()
            : $"{errors.Count} config errors:{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Select(e => "  " + e));
}
