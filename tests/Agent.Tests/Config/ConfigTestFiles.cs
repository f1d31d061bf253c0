using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Tests.Config;

/// <summary>A temporary folder of config files, deleted afterwards.</summary>
internal sealed class TempConfigDir : IDisposable
{
    public TempConfigDir()
    {
        Root = Path.Combine(Path.GetTempPath(), "dqnstudy-config-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string name, string text)
    {
        string path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a leftover temp folder is harmless
        }
    }
}

internal static class Repo
{
    /// <summary>The repository root (the folder holding DqnStudy.sln), found from the test assembly's folder.</summary>
    public static string Root => ConfigLoader.FindSolutionRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"DqnStudy.sln not found above {AppContext.BaseDirectory}");

    public static string ConfigsDir => Path.Combine(Root, "configs");
}
