using DqnStudy.Agent.Runs;
using System.Globalization;
using DqnStudy.Agent.Rendering;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Models;

/// <summary>
/// `evaluate`: loads the chosen model of each seed folder (no training state), plays greedy episodes and prints each
/// return and their mean ± std (numpy's population std, as training's eval.csv). For a run folder, one line per seed
/// and the mean over seeds with how many reached the environment's reward threshold. Optionally shows the first
/// episode of a single seed folder as terminal frames, an animated GIF and numbered PNG frames.
/// </summary>
public static class EvaluateJob
{
    public const int ExitOk = 0, ExitBadInput = 2;

    public static int Run(EvaluateOptions options, TextWriter output, TextWriter error, bool terminal = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            Validate(options);
            var folders = SeedFolders(options.Folder);
            bool single = folders.Count == 1 && folders[0] == options.Folder;
            bool watching = options.RenderText || options.Gif is not null || options.FramesFolder is not null;
            if (watching && folders.Count > 1)
                throw new ModelLoadException($"{options.Folder} holds {folders.Count} seed folders; give one of them (e.g. {folders[0]}) to render, or drop --render/--gif/--frames.");
            IBlas blas = BlasSelector.Create(options.Blas).Blas;

            var means = new List<double>();
            double? threshold = null;
            foreach (string folder in folders)
            {
                var agent = TrainedAgent.Load(folder, options.Kind, blas);
                var environment = agent.CreateEnvironment();
                threshold = EnvironmentRegistry.TryGetSpec(agent.Config.EnvId, out var spec) ? spec.RewardThreshold : null;
                var returns = new double[options.Episodes];
                for (int e = 0; e < options.Episodes; e++)
                {
                    var watcher = e == 0 && watching ? Watch(options, environment, output, terminal) : null;
                    returns[e] = EpisodePlayer.Play(agent, environment, options.Seed + e, watcher is null ? null : watcher.Watch);
                    watcher?.Finish();
                }
                var (mean, std) = MeanStd(returns);
                means.Add(mean);
                if (single)
                {
                    output.WriteLine(Describe(agent));
                    output.WriteLine("returns: " + string.Join(" ", returns.Select(r => Inv($"{r:0.##}"))));
                    output.WriteLine(Inv($"return {mean:0.0} ± {std:0.0} (min {returns.Min():0.##}, max {returns.Max():0.##}) over {options.Episodes} {(options.Episodes == 1 ? "episode" : "episodes")}, reset {(options.Episodes == 1 ? $"seed {options.Seed}" : $"seeds {options.Seed}–{options.Seed + options.Episodes - 1}")}"));
                }
                else
                {
                    output.WriteLine(Inv($"{Path.GetFileName(folder),-8} {ModelFiles.FileName(options.Kind)}  return {mean,6:0.0} ± {std,5:0.0}  (min {returns.Min():0.##}, max {returns.Max():0.##})"));
                }
            }
            if (!single)
            {
                var (mean, std) = MeanStd([.. means]);
                string reached = threshold is { } t ? Inv($"; mean ≥ {t:0.##} on {means.Count(m => m >= t)} of {means.Count} seeds") : "";
                output.WriteLine(Inv($"over {means.Count} seeds: {mean:0.0} ± {std:0.0} ({options.Episodes} episodes each, reset seeds {options.Seed}–{options.Seed + options.Episodes - 1}){reached}"));
            }
            return ExitOk;
        }
        catch (Exception e) when (e is ModelLoadException or BlasUnavailableException or ArgumentException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitBadInput;
        }
    }

    private static void Validate(EvaluateOptions options)
    {
        if (options.Episodes < 1) throw new ModelLoadException($"--episodes must be ≥ 1, got {options.Episodes}.");
        if (options.Seed < 0) throw new ModelLoadException($"--seed must be ≥ 0, got {options.Seed}.");
        if (options.Gif is { } gif && Path.GetDirectoryName(Path.GetFullPath(gif)) is { } dir && !Directory.Exists(dir))
            throw new ModelLoadException($"--gif {gif}: the folder {dir} does not exist.");
        if (options.FramesFolder is { } frames && Directory.Exists(frames) && Directory.EnumerateFileSystemEntries(frames).Any())
            throw new ModelLoadException($"--frames {frames}: the folder is not empty (frames go into a new or empty folder).");
    }

    /// <summary>The folder itself when it holds config.yaml, else its seed-* folders that do, in seed order.</summary>
    public static IReadOnlyList<string> SeedFolders(string folder)
    {
        if (!Directory.Exists(folder)) throw new ModelLoadException($"{folder}: no such folder.");
        if (File.Exists(RunFolder.PathOf(folder, RunFolder.Config))) return [folder];
        var seeds = Directory.GetDirectories(folder, "seed-*")
            .Where(d => File.Exists(RunFolder.PathOf(d, RunFolder.Config)))
            .OrderBy(d => int.TryParse(Path.GetFileName(d)[5..], out int n) ? n : int.MaxValue)
            .ToList();
        if (seeds.Count == 0)
            throw new ModelLoadException($"{folder}: neither a seed folder (no {RunFolder.Config}) nor a run folder (no seed-*/ with one).");
        return seeds;
    }

    private static string Describe(TrainedAgent agent)
    {
        string saved = agent.Info is { } info
            ? Inv($"; saved at step {info.Step:N0}") + (info.EvalReturnMean is { } m
                ? Inv($", where training's evaluation gave {m:0.0} ± {info.EvalReturnStd:0.0} over {info.EvalEpisodes} episodes") : "")
            : "";
        return $"{agent.ModelPath}: {agent.Config.EnvId}, {agent.Network.Describe()}{saved}";
    }

    private static EpisodeWatcher Watch(EvaluateOptions options, IEnvironment environment, TextWriter output, bool terminal)
    {
        var renderer = FrameRenderer.For(environment)
            ?? throw new ModelLoadException($"{environment.Id}: no picture can be drawn from its observations.");
        return new EpisodeWatcher(renderer, output, terminal, options);
    }

    private static (double Mean, double Std) MeanStd(double[] values)
    {
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length));
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
