using System.Text.Json;
using System.Text.RegularExpressions;
using DqnStudy.Agent.Runs;

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
        (FindMonitor(folder) is not null || File.Exists(RunFolder.PathOf(folder, RunFolder.Progress)));

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
        run.Progress = run.TryRead(Existing(folder, RunFolder.Progress), CsvTable.Read);
        run.Eval = run.TryRead(Existing(folder, RunFolder.Eval), CsvTable.Read);
        run.Summary = run.TryRead(Existing(folder, RunFolder.Summary), RunSummaryReadout.Read);
        run.Config = run.TryRead(Existing(folder, RunFolder.Config), ConfigFlattener.Flatten);
        if (run.Monitor is null && run.Progress is null && run.Eval is null)
        {
            string detail = run.Notes.Count > 0 ? string.Join("; ", run.Notes) : $"no {RunFolder.Monitor}, {RunFolder.Progress} or {RunFolder.Eval}";
            throw new RunDataException(folder, $"nothing readable ({detail})");
        }

        if (run.Monitor is not null && !(run.Monitor.Has(RunFolder.EpisodeReturn) && run.Monitor.Has(RunFolder.EpisodeLength)))
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
                run.EnvIdSource = RunFolder.PathOf(folder, RunFolder.Summary);
            }
            if (run.Summary.Status is "failed" or "interrupted" or "running")
            {
                run.Notes.Add($"{RunFolder.PathOf(folder, RunFolder.Summary)}: status '{run.Summary.Status}'" +
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
            run.EnvIdSource = RunFolder.PathOf(folder, RunFolder.Config);
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
        double[] lengths = Monitor.Column(RunFolder.EpisodeLength);
        var ends = new double[lengths.Length];
        double total = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            total += lengths[i];
            ends[i] = total;
        }
        return (ends, Monitor.Column(RunFolder.EpisodeReturn));
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
            return d.RootElement.TryGetProperty(RunFolder.MonitorEnvId, out JsonElement e) ? e.ToString() : null;
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

    // SB3 names its monitor file plainly or with a "<rank>." prefix.
    private static string? FindMonitor(string folder)
    {
        string plain = RunFolder.PathOf(folder, RunFolder.Monitor);
        if (File.Exists(plain))
        {
            return plain;
        }
        return Directory.EnumerateFiles(folder, "*" + RunFolder.Monitor).Order(StringComparer.Ordinal).FirstOrDefault();
    }

    [GeneratedRegex(@"^seed[-_]?(\d+)$")]
    private static partial Regex SeedNumber();
}
