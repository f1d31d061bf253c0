using System.Text.Json;
using DqnStudy.Agent.Compare;
using DqnStudy.Agent.Tests.EndToEnd;

namespace DqnStudy.Agent.Tests.Process;

/// <summary>A TinyRun driven through the real app: its config, its runs root, and readers for what the app left.</summary>
public sealed class ProcessRun : IDisposable
{
    public static readonly string[] RunFiles = ["config.yaml", "monitor.csv", "progress.csv", "eval.csv", "summary.json"];
    public static readonly string[] CsvFiles = ["monitor.csv", "progress.csv", "eval.csv"];

    private readonly TinyRun _tiny = new();

    public string Folder => _tiny.Folder;
    public string ConfigPath => _tiny.ConfigPath;
    public string RunsRoot => _tiny.RunsRoot;
    public TinyRun Tiny => _tiny;

    public string SeedFolder(string name, int seed = 0) => Path.Combine(RunsRoot, name, $"seed-{seed}");

    /// <summary>The train command on the tiny config, into this run's runs root, under `name`.</summary>
    public string[] Args(string name, params string[] extra) =>
        ["--config", ConfigPath, "--out", RunsRoot, "--name", name, "--parallel", "1", .. extra];

    public AgentResult Train(string name, params string[] extra) => AgentProcess.Run(Folder, Args(name, extra));

    public AgentProcess StartTraining(string name, params string[] extra) => AgentProcess.Start(Folder, null, Args(name, extra));

    public static JsonElement Summary(string seedFolder)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(seedFolder, "summary.json")));
        return document.RootElement.Clone();
    }

    /// <summary>Reads every CSV that exists with compare's reader (which throws on anything but a partial last line)
    /// and summary.json if it exists; returns compare's notes.</summary>
    public static IReadOnlyList<string> CheckFilesParse(string seedFolder)
    {
        var notes = new List<string>();
        foreach (string file in CsvFiles)
        {
            string path = Path.Combine(seedFolder, file);
            if (File.Exists(path)) notes.AddRange(CsvTable.Read(path).Notes);
        }
        string summary = Path.Combine(seedFolder, "summary.json");
        if (File.Exists(summary)) using (JsonDocument.Parse(File.ReadAllText(summary))) { }
        return notes;
    }

    /// <summary>Lines of progress.csv that have a newline (complete rows).</summary>
    public static int CompleteProgressRows(string seedFolder)
    {
        string path = Path.Combine(seedFolder, "progress.csv");
        if (!File.Exists(path)) return 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        int newlines = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0) if (b == '\n') newlines++;
        return Math.Max(0, newlines - 1);
    }

    public static void AssertNoStackTrace(AgentResult result)
    {
        string all = result.Stdout + result.Stderr;
        Assert.DoesNotContain("   at ", all);
        Assert.DoesNotContain("Exception", all);
    }

    public void Dispose() => _tiny.Dispose();
}
