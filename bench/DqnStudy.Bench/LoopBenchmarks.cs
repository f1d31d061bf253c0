using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Bench;

/// <summary>
/// The whole DqnTrainer loop (act, env step, replay add, updates, target copies, logging, evaluation, checkpoints)
/// on configs/cleanrl-cartpole.yaml scaled to 30,000 steps: learning_starts 600 (10k of 500k, kept proportional), the
/// ε schedule over half of the run as in the recipe, evaluations every 10,000 steps (the full run's ratio).
/// One operation = one run; steps/s = 30,000 / Mean. TrainFreq 1 is the "≥ 8× PyTorch at train_freq 1" case.
/// The allocation column covers the run's setup-free remainder: log rows, JSON summaries and checkpoints
/// allocate; act, step and update do not (see ActBenchmarks, EnvBenchmarks, UpdateBenchmarks).
/// Run: dotnet run -c Release --project bench/DqnStudy.Bench -- --filter '*LoopBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class LoopBenchmarks
{
    public const int Steps = 30_000;

    private DqnConfig config = null!;
    private IBlas blas = null!;
    private string folder = "";
    private DqnTrainer? trainer;

    [Params("managed", "mkl")]
    public string Provider { get; set; } = "managed";

    [Params(10, 1)]
    public int TrainFreq { get; set; } = 10;

    [GlobalSetup]
    public void Setup()
    {
        string root = ConfigLoader.FindSolutionRoot(AppContext.BaseDirectory)
                      ?? throw new InvalidOperationException($"No DqnStudy.sln above {AppContext.BaseDirectory}.");
        config = ConfigLoader.Load(Path.Combine(root, "configs", "cleanrl-cartpole.yaml"),
        [
            $"training.total_steps={Steps}",
            $"dqn.learning_starts={10_000L * Steps / 500_000}",
            $"dqn.train_freq={TrainFreq}",
            $"blas={Provider}",
        ]);
        blas = BlasSelector.Create(Provider, threads: 1, reproducible: true).Blas;
    }

    [IterationSetup]
    public void NewRun()
    {
        folder = Path.Combine(Path.GetTempPath(), "dqnstudy-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        trainer = new DqnTrainer(config, seed: 1, folder, blas);
    }

    [Benchmark]
    public long Run()
    {
        trainer!.Run(CancellationToken.None);
        return trainer.Step;
    }

    [IterationCleanup]
    public void EndRun()
    {
        trainer?.Dispose();
        trainer = null;
        Directory.Delete(folder, recursive: true);
    }
}
