using DqnStudy.Agent.Config;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Tests.Config;

/// <summary>docs/config.md cannot go stale: every model key (and every enum value) must appear in it.</summary>
public sealed class ConfigDocsTests
{
    private static string Docs()
    {
        string path = Path.Combine(Repo.Root, "docs", "config.md");
        Assert.True(File.Exists(path), $"missing {path}");
        return File.ReadAllText(path);
    }

    [Fact]
    public void EveryKey_IsDocumented()
    {
        string docs = Docs();
        string[] missing = ConfigSchema.LeafPaths.Where(p => !docs.Contains($"| `{p}` |", StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "docs/config.md lacks a table row for: " + string.Join(", ", missing));
        Assert.Contains("| `extends` |", docs);
    }

    [Fact]
    public void EveryEnumValue_IsDocumented()
    {
        string docs = Docs();
        Type[] enums = [typeof(NetworkKind), typeof(ActivationKind), typeof(InitKind), typeof(LossKind), typeof(OptimizerKind), typeof(BlasMode), typeof(ReplayStorage)];
        string[] missing = enums.SelectMany(ConfigSchema.EnumNames).Where(n => !docs.Contains($"`{n}`", StringComparison.Ordinal)).ToArray();
        Assert.True(missing.Length == 0, "docs/config.md lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void DocumentedDefaults_MatchTheModel()
    {
        // The table's default column must equal what ConfigWriter prints for a default config.
        string docs = Docs();
        var defaults = new DqnConfig();
        string yaml = ConfigWriter.ToYaml(defaults with { Name = "n" });
        foreach (string path in ConfigSchema.LeafPaths.Where(p => p != "name"))
        {
            string row = docs.Split('\n').Single(l => l.StartsWith($"| `{path}` |", StringComparison.Ordinal));
            string documented = row.Split('|')[3].Trim().Trim('`');
            string leaf = path[(path.LastIndexOf('.') + 1)..];
            string actual = yaml.Split('\n').First(l => l.TrimStart().StartsWith(leaf + ":", StringComparison.Ordinal) && IsAt(yaml, l, path))
                .Split(": ", 2)[1];
            Assert.True(Equivalent(documented, actual), $"{path}: docs say {documented}, model has {actual}");
        }
    }

    // The writer prints 1.0e-08; the docs may write 1.0e-8 or 100000 for 100_000.
    private static bool Equivalent(string documented, string actual) =>
        documented == actual
        || double.TryParse(documented, System.Globalization.CultureInfo.InvariantCulture, out double d)
           && double.TryParse(actual, System.Globalization.CultureInfo.InvariantCulture, out double a) && d == a;

    private static bool IsAt(string yaml, string line, string path)
    {
        // A leaf name can repeat across sections (type, eps...): accept the line only under the right section.
        string section = path.Contains('.') ? path[..path.IndexOf('.')] + ":" : "";
        string[] lines = yaml.Split('\n');
        int index = Array.IndexOf(lines, line);
        if (section.Length == 0)
        {
            return !line.StartsWith(' ');
        }
        for (int i = index; i >= 0; i--)
        {
            if (!lines[i].StartsWith(' '))
            {
                return lines[i] == section;
            }
        }
        return false;
    }
}
