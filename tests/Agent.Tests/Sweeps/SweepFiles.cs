using DqnStudy.Agent.Tests.EndToEnd;

namespace DqnStudy.Agent.Tests.Sweeps;

/// <summary>A scratch folder with the tiny config (tiny.yaml) and sweep files written next to it.</summary>
public sealed class SweepFiles : IDisposable
{
    private readonly TinyRun _tiny = new();

    public string Folder => _tiny.Folder;
    public string RunsRoot => _tiny.RunsRoot;

    /// <summary>Writes `yaml` as NAME.yaml next to tiny.yaml and returns its path.</summary>
    public string Write(string name, string yaml)
    {
        string path = Path.Combine(Folder, name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>A copy of tiny.yaml under another name (its `name:` changed too).</summary>
    public string CopyTiny(string name, string? replace = null, string? with = null)
    {
        string yaml = File.ReadAllText(_tiny.ConfigPath).Replace("name: tiny", $"name: {name}", StringComparison.Ordinal);
        if (replace is not null) yaml = yaml.Replace(replace, with, StringComparison.Ordinal);
        return Write(name, yaml);
    }

    public void Dispose() => _tiny.Dispose();
}
