using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Tests.EndToEnd;

/// <summary>A few-hundred-step CartPole config and a scratch folder for end-to-end tests.</summary>
public sealed class TinyRun : IDisposable
{
    public const string Yaml = """
        name: tiny
        env_id: CartPole-v1
        network: { hidden_sizes: [16, 16], activation: relu }
        loss: { type: huber }
        optimizer: { type: adam, learning_rate: 1.0e-3 }
        dqn:
          buffer_size: 1000
          batch_size: 16
          learning_starts: 100
          train_freq: 4
          gradient_steps: 2
          target_update_interval: 50
          exploration_fraction: 0.5
        training:
          total_steps: 600
          seeds: 1
          eval_interval: 300
          eval_episodes: 2
          log_interval: 100
          checkpoint_interval: 200
        blas: managed
        """;

    public TinyRun(string? extraYaml = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "dqnstudy-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        ConfigPath = Path.Combine(Folder, "tiny.yaml");
        File.WriteAllText(ConfigPath, Yaml + (extraYaml is null ? "" : "\n" + extraYaml));
    }

    public string Folder { get; }
    public string ConfigPath { get; }
    public string RunsRoot => Path.Combine(Folder, "runs");

    public DqnConfig Load(params string[] overrides) => ConfigLoader.Load(ConfigPath, overrides);

    public string SeedFolder(string name, int seed = 0)
    {
        string folder = Path.Combine(RunsRoot, name, $"seed-{seed}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>progress.csv without the wall-clock columns (sps, time_elapsed), which no two runs share.</summary>
    public static string[] DeterministicProgress(string seedFolder)
    {
        var lines = File.ReadAllLines(Path.Combine(seedFolder, "progress.csv"));
        var header = lines[0].Split(',');
        int[] keep = Enumerable.Range(0, header.Length).Where(i => header[i] is not ("sps" or "time_elapsed")).ToArray();
        return lines.Select(l => string.Join(',', keep.Select(i => l.Split(',')[i]))).ToArray();
    }

    /// <summary>monitor.csv's returns and lengths (its t column is wall time).</summary>
    public static string[] MonitorReturnsAndLengths(string seedFolder) =>
        File.ReadAllLines(Path.Combine(seedFolder, "monitor.csv")).Skip(2)
            .Select(l => string.Join(',', l.Split(',').Take(2))).ToArray();

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

internal static class TinyRunExtensions
{
    public static int LoadParameterCount(this TinyRun run)
    {
        var config = run.Load();
        var net = DqnStudy.Agent.Dqn.DqnComponents.CreateNetwork(config, new DqnStudy.Nn.Blas.ManagedBlas(), 4, 2, 1, 0);
        return net.Parameters.Count;
    }

    /// <summary>Trains "straight" uninterrupted, and "resumed" stopped at <paramref name="stopAt"/> then resumed;
    /// asserts the two end with equal weights, deterministic progress rows, monitor rows and eval.csv.
    /// <paramref name="train"/> is (name, stopAt, resume, weightsOut) → status.</summary>
    public static void AssertInterruptedAndResumedEqualsUninterrupted(this TinyRun run, int parameterCount, long stopAt,
                                                                      Func<string, long?, bool, float[]?, RunStatus> train)
    {
        var straight = new float[parameterCount];
        var resumed = new float[straight.Length];
        Assert.Equal(RunStatus.Completed, train("straight", null, false, straight));
        Assert.Equal(RunStatus.Interrupted, train("resumed", stopAt, false, null));
        Assert.Equal(RunStatus.Completed, train("resumed", null, true, resumed));

        Assert.Equal(straight, resumed);
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("straight")), TinyRun.DeterministicProgress(run.SeedFolder("resumed")));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(run.SeedFolder("straight")), TinyRun.MonitorReturnsAndLengths(run.SeedFolder("resumed")));
        Assert.Equal(File.ReadAllLines(Path.Combine(run.SeedFolder("straight"), "eval.csv")),
                     File.ReadAllLines(Path.Combine(run.SeedFolder("resumed"), "eval.csv")));
    }
}
