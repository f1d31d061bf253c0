using System.Text.RegularExpressions;
using DqnStudy.Agent.Tests.Config;

namespace DqnStudy.Agent.Tests;

/// <summary>
/// Dependencies between the Agent's top-level folders (namespaces = folders) run one way: no folder reaches,
/// directly or through others, back to itself. Read from the sources: a `using DqnStudy.Agent.X`, a qualified
/// `DqnStudy.Agent.X.` or a namespace-relative `X.Type` in a file of folder Y is an edge Y → X.
/// </summary>
public sealed partial class FolderDependencyTests
{
    private static string AgentSource => Path.Combine(Repo.Root, "src", "Agent");

    [Fact]
    public void NoFolderDependsOnItselfThroughOthers()
    {
        var edges = Edges(AgentSource);
        Assert.NotEmpty(edges);
        var cycle = FindCycle(edges.Keys.Select(k => k.From).Distinct(), edges);
        Assert.True(cycle is null, cycle is null ? "" :
            "cycle between Agent's folders: " + string.Join(" → ", cycle) + "\n" +
            string.Join("\n", cycle.Zip(cycle.Skip(1)).Select(e => $"  {e.First} → {e.Second}: {string.Join(", ", edges[(e.First, e.Second)].Take(3))}")));
    }

    [Fact]
    public void TheCycleFinderFindsACycle()
    {
        // The negative control: an edge back from Config to Dqn closes Dqn → Config → Dqn.
        var edges = new Dictionary<(string From, string To), List<string>>
        {
            [("Hosting", "Dqn")] = ["a.cs"], [("Dqn", "Config")] = ["b.cs"], [("Config", "Dqn")] = ["c.cs"],
        };
        Assert.Equal(["Dqn", "Config", "Dqn"], FindCycle(["Hosting", "Dqn", "Config"], edges));
        edges.Remove(("Config", "Dqn"));
        Assert.Null(FindCycle(["Hosting", "Dqn", "Config"], edges));
    }

    [Fact]
    public void TheEdgesIncludeTheKnownOnes()
    {
        var edges = Edges(AgentSource);
        Assert.Contains(("Dqn", "Config"), edges.Keys);
        Assert.Contains(("Hosting", "Dqn"), edges.Keys);
        Assert.Contains(("Cli", "Hosting"), edges.Keys);
    }

    [GeneratedRegex(@"DqnStudy\.Agent\.([A-Z][A-Za-z]*)")]
    private static partial Regex Qualified();

    private static Dictionary<(string From, string To), List<string>> Edges(string root)
    {
        var folders = Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>()
                               .Where(f => f is not ("bin" or "obj")).ToHashSet();
        var relative = new Regex(@"(?<![\w.])(" + string.Join('|', folders) + @")\.[A-Z]");
        var edges = new Dictionary<(string, string), List<string>>();
        foreach (string folder in folders)
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                string text = StripComments(File.ReadAllText(file));
                var targets = Qualified().Matches(text).Select(m => m.Groups[1].Value)
                                         .Concat(relative.Matches(text).Select(m => m.Groups[1].Value))
                                         .Where(t => t != folder && folders.Contains(t)).Distinct();
                foreach (string target in targets)
                {
                    if (!edges.TryGetValue((folder, target), out var files)) edges[(folder, target)] = files = [];
                    files.Add(Path.GetRelativePath(root, file));
                }
            }
        }
        return edges;
    }

    // Comments and string literals name folders without depending on them.
    private static string StripComments(string text) =>
        Regex.Replace(text, @"//[^\n]*|/\*.*?\*/|@?\$?""(?:[^""\\\n]|\\.)*""", " ", RegexOptions.Singleline);

    /// <summary>A path a → … → a, or null.</summary>
    private static List<string>? FindCycle(IEnumerable<string> nodes, IReadOnlyDictionary<(string From, string To), List<string>> edges)
    {
        var state = new Dictionary<string, int>();   // 1 on the stack, 2 done
        var stack = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            stack.Add(node);
            foreach (var next in edges.Keys.Where(e => e.From == node).Select(e => e.To).Order())
            {
                if (state.GetValueOrDefault(next) == 1) return [.. stack.Skip(stack.IndexOf(next)), next];
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found) return found;
            }
            stack.RemoveAt(stack.Count - 1);
            state[node] = 2;
            return null;
        }
        foreach (string node in nodes)
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle) return cycle;
        }
        return null;
    }
}
