namespace DqnStudy.Agent.Cli;

/// <summary>
/// The "Made by" line of a report: the command as a user types it from the repository root. Absolute paths under
/// the current folder are written relative to it, so a page committed from one machine reads right on another;
/// paths elsewhere (e.g. /tmp) stay absolute, because that is where the command really read or wrote.
/// </summary>
public static class MadeBy
{
    public const string Prefix = "dotnet run --project src/Agent -- ";

    /// <summary>This process's own command line.</summary>
    public static string FromProcess() => Describe(Environment.GetCommandLineArgs().Skip(1), Directory.GetCurrentDirectory());

    public static string Describe(IEnumerable<string> arguments, string currentFolder)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(currentFolder);
        return Prefix + string.Join(' ', arguments.Select(a => Quote(Portable(a, currentFolder))));
    }

    /// <summary>`argument`, or `--option=value`'s value, relative to `currentFolder` when it is an absolute path under it.</summary>
    public static string Portable(string argument, string currentFolder)
    {
        ArgumentNullException.ThrowIfNull(argument);
        int equals = argument.StartsWith('-') ? argument.IndexOf('=', StringComparison.Ordinal) : -1;
        if (equals >= 0) return argument[..(equals + 1)] + Portable(argument[(equals + 1)..], currentFolder);
        if (!Path.IsPathFullyQualified(argument)) return argument;
        string relative = Path.GetRelativePath(currentFolder, argument);
        bool outside = Path.IsPathFullyQualified(relative) || relative == ".."
                       || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return outside ? argument : relative;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
