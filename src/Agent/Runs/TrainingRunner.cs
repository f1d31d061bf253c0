using DqnStudy.Agent.Dqn;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Runs;

/// <summary>
/// Runs the seeds of a plan, `Parallel` at a time, each on its own thread with its own BLAS provider
/// (one BLAS thread per seed), and turns their outcomes into the process exit code:
/// 0 all completed, 1 any failed, 130 interrupted.
/// </summary>
public sealed class TrainingRunner(TrainingPlan plan, Action<string> log)
{
    public const int ExitOk = 0, ExitFailed = 1, ExitBadInput = 2, ExitInterrupted = 130;

    public IReadOnlyList<TrainingProgress> Progress { get; private set; } = [];

    /// <summary>Checks the folders and returns the seeds to train (throws RunFolderException on bad input).</summary>
    public IReadOnlyList<int> Prepare()
    {
        var seeds = RunFolderPreparer.Prepare(plan, log);
        Progress = seeds.Select(s => new TrainingProgress(s, plan.Config.Training.TotalSteps)).ToArray();
        return seeds;
    }

    public int Run(CancellationToken stop)
    {
        if (Progress.Count == 0)
        {
            log("Nothing to train: every seed is already complete.");
            return ExitOk;
        }
        // Probe once, up front: an explicit `mkl` that cannot load fails before any folder is touched.
        var selection = BlasSelector.Create(plan.BlasMode, plan.Config.BlasThreads);
        log($"BLAS: {selection.Reason}");

        var statuses = new RunStatus[Progress.Count];
        var errors = new string?[Progress.Count];
        int next = -1;
        var workers = new List<Thread>();
        for (int w = 0; w < Math.Max(1, Math.Min(plan.Parallel, Progress.Count)); w++)
        {
            var thread = new Thread(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < Progress.Count)
                {
                    (statuses[i], errors[i]) = RunSeed(Progress[i], stop);
                }
            }) { Name = $"seed-worker-{w}", IsBackground = false };
            workers.Add(thread);
            thread.Start();
        }
        foreach (var thread in workers) thread.Join();

        int failed = statuses.Count(s => s == RunStatus.Failed);
        int interrupted = statuses.Count(s => s == RunStatus.Interrupted);
        log($"Finished: {statuses.Count(s => s == RunStatus.Completed)} completed, {failed} failed, {interrupted} interrupted; runs in {plan.GroupFolder}");
        if (failed > 0) return ExitFailed;
        if (interrupted > 0 || stop.IsCancellationRequested) return ExitInterrupted;
        return ExitOk;
    }

    private (RunStatus, string?) RunSeed(TrainingProgress progress, CancellationToken stop)
    {
        int seed = progress.Seed;
        string folder = plan.SeedFolder(seed);
        if (stop.IsCancellationRequested)
        {
            progress.State = "not started";
            return (RunStatus.Interrupted, null);
        }
        try
        {
            bool resume = plan.Resume && File.Exists(Path.Combine(folder, DqnTrainer.CheckpointFileName));
            if (!resume && plan.Resume && Directory.Exists(folder))
            {
                log($"seed {seed}: no checkpoint in {folder}; starting it again from step 0.");
                foreach (var file in Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))) File.Delete(file);
            }
            Directory.CreateDirectory(folder);
            using var folderLock = RunLock.Acquire(folder);
            if (!resume) RunFolderPreparer.WriteConfig(folder, plan.Config);
            var blas = BlasSelector.Create(plan.BlasMode, plan.Config.BlasThreads).Blas;
            var status = Dqn.Recurrent.SeedTrainer.Run(plan.Config, seed, folder, blas, progress, log, stop, resume);
            return (status, null);
        }
        catch (Exception e) when (e is CheckpointException or RunFolderException)
        {
            progress.State = "failed";
            log($"seed {seed}: {e.Message}");
            return (RunStatus.Failed, e.Message);
        }
        catch (Exception e)
        {
            progress.State = "failed";
            log($"seed {seed}: crashed: {e}");
            return (RunStatus.Failed, e.Message);
        }
    }
}
