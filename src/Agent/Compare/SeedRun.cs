using System.Text.Json;
using System.Text.RegularExpressions;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// One seed's run folder: a DqnStudy folder (monitor.csv, progress.csv, eval.csv, summary.json, config.yaml) or a
/// Stable-Baselines3 folder holding only a <c>*monitor.csv</c>. Missing optional files are null; problems are notes.
/// </summary>
public sealed partial class SeedRun
{
    private SeedRun(string folder) => Folder = folder;

    public string Folder { get; }

    public int Seed { get; private set; }

    public string? EnvId { get; private set; }

    /// <summary>The file the env id was read from, so a mismatch can name it.</summary>
    public string? EnvIdSource { get; private set; }

    public CsvTable? Monitor { get; private set; }

    public CsvTable? Progress { get; private set; }

    public CsvTable? Eval { get; private set; }

    public RunSummaryReadout? Summary { get; private set; }

    public IReadOnlyDictionary<string, string>? Config { get; private set; }

    public List<string> Notes { get; } = [];

    /// <summary>A folder is a seed folder when it directly holds a monitor file or a progress.csv.</summary>
    public static bool LooksLikeRun(string folder) =>
        Directory.Exists(folder) &&
        (FindMonitor(folder) is not null || File.Exists(System.IO.Path.Combine(folder, "progress.csv")));

    /// <summary>Loads what is readable; throws <see cref="RunDataException"/> only when nothing usable is there.</summary>
    public static SeedRun Load(string folder, int fallbackSeed)
    {
        var run = new SeedRun(folder) { Seed = fallbackSeed };
        Match m = SeedNumber().Match(System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(folder)));
        if (m.Success)
        {
            run.Seed = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        string? monitorPath = FindMonitor(folder);
        run.Monitor = run.TryRead(monitorPath, CsvTable.Read);
        run.Progress = run.TryRead(Existing(folder, "progress.csv"), CsvTable.Read);
        run.Eval = run.TryRead(Existing(folder, "eval.csv"), CsvTable.Read);
        run.Summary = run.TryRead(Existing(folder, "summary.json"), RunSummaryReadout.Read);
        run.Config = run.TryRead(Existing(folder, "config.yaml"), ConfigFlattener.Flatten);
        if (run.Monitor is null && run.Progress is null && run.Eval is null)
        {
            string detail = run.Notes.Count > 0 ? string.Join("; ", run.Notes) : "no monitor.csv, progress.csv or eval.csv";
            throw new RunDataException(folder, $"nothing readable ({detail})");
        }

        if (run.Monitor is not null && !(run.Monitor.Has("r") && run.Monitor.Has("l")))
        {
            run.Notes.Add($"{run.Monitor.Path}: no 'r' and 'l' columns; train returns unavailable");
            run.Monitor = null;
        }

        if (run.Summary is not null)
        {
            run.Seed = run.Summary.Seed ?? run.Seed;
            if (run.Summary.EnvId is not null)
            {
                run.EnvId = run.Summary.EnvId;
                run.EnvIdSource = System.IO.Path.Combine(folder, "summary.json");
            }
            if (run.Summary.Status is "failed" or "interrupted" or "running")
            {
                run.Notes.Add($"{System.IO.Path.Combine(folder, "summary.json")}: status '{run.Summary.Status}'" +
                              (run.Summary.Failure is null ? "" : $" ({run.Summary.Failure})"));
            }
        }
        if (run.EnvId is null && run.Monitor?.CommentLine is { } comment)
        {
            run.EnvId = EnvFromMonitorHeader(comment);
            run.EnvIdSource = run.EnvId is null ? null : run.Monitor.Path;
        }
        if (run.EnvId is null && run.Config is not null && run.Config.TryGetValue("env_id", out string? env))
        {
            run.EnvId = env;
            run.EnvIdSource = System.IO.Path.Combine(folder, "config.yaml");
        }
        return run;
    }

    /// <summary>Env steps at the end of each episode (cumulative episode lengths) and the episode returns.</summary>
    public (double[] EndSteps, double[] Returns)? Episodes()
    {
        if (Monitor is null)
        {
            return null;
        }
        double[] lengths = Monitor.Column("l");
        var ends = new double[lengths.Length];
        double total = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            total += lengths[i];
            ends[i] = total;
        }
        return (ends, Monitor.Column("r"));
    }

    private T? TryRead<T>(string? path, Func<string, T> read) where T : class
    {
        if (path is null)
        {
            return null;
        }
        try
        {
            T value = read(path);
            if (value is CsvTable table)
            {
                Notes.AddRange(table.Notes);
            }
            return value;
        }
        catch (RunDataException e)
        {
            Notes.Add(e.Message + "; file ignored");
            return null;
        }
        catch (IOException e)
        {
            Notes.Add($"{path}: {e.Message}; file ignored");
            return null;
        }
    }

    private static string? EnvFromMonitorHeader(string json)
    {
        try
        {
            using JsonDocument d = JsonDocument.Parse(json);
            return d.RootElement.TryGetProperty("env_id", out JsonElement e) ? e.ToString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Existing(string folder, string name)
    {
        string path = System.IO.Path.Combine(folder, name);
        return File.Exists(path) ? path : null;
    }

    // SB3 names its files "monitor.csv" or "<rank>.monitor.csv".
    private static string? FindMonitor(string folder)
    {
        string plain = System.IO.Path.Combine(folder, "monitor.csv");
        if (File.Exists(plain))
        {
            return plain;
        }
        return Directory.EnumerateFiles(folder, "*monitor.csv").Order(StringComparer.Ordinal).FirstOrDefault();
    }

    [GeneratedRegex(@"^seed[-_]?(\d+)$")]
    private static partial Regex SeedNumber();
}
