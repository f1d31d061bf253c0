using System.Text.RegularExpressions;

namespace DqnStudy.Agent.Runs;

/// <summary>Where a run's files go: &lt;out&gt;/&lt;name&gt;/seed-&lt;n&gt;/. Names are plain words, so no
/// name can point outside the output folder.</summary>
public static partial class RunPaths
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex SafeName();

    /// <summary>Null if the name is usable, else the reason it is not.</summary>
    public static string? CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "the run name is empty";
        if (name.Contains("..")) return $"run name '{name}' contains '..'";
        if (!SafeName().IsMatch(name))
            return $"run name '{name}' may use only letters, digits, '.', '_' and '-' (starting with a letter or digit, at most 100 characters), so that it stays inside the output folder";
        return null;
    }

    public static string Group(string outRoot, string name) => Path.GetFullPath(Path.Combine(outRoot, name));

    public static string Seed(string outRoot, string name, int seed) => Path.Combine(Group(outRoot, name), $"seed-{seed}");
}
