using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Runs;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Hosting;

/// <summary>
/// Runs the seeds of a plan, `Parallel` at a time, each on its own thread with its own BLAS provider
/// (one BLAS thread per seed), and turns their outcomes into the process exit code:
/// 0 all completed, 1 any failed, 130 interrupted.
/// </summary>
public sealed class SeedRunner(TrainingPlan plan, Action<string> log) : IDisposable
{
    // Taken in Prepare, before any training: a second process on the same folders is bad input (exit 2),
    // not a failed seed found half-way through, and nothing in a locked folder is touched.
    private readonly Dictionary<int, RunLock> _locks = [];

    public IReadOnlyList<TrainingProgress> Progress { get; private set; } = [];

    /// <summary>Checks the folders, locks every seed folder to train and returns those seeds
    /// (throws RunFolderException on bad input, holding no lock).</summary>
    public IReadOnlyList<int> Prepare()
    {
        var seeds = RunFolderPreparer.Prepare(plan, log);
        var created = new List<string>();
        try
        {
            foreach (int seed in seeds)
            {
                string folder = plan.SeedFolder(seed);
                if (!Directory.Exists(folder)) created.Add(folder);
                Directory.CreateDirectory(folder);
                _locks.Add(seed, RunLock.Acquire(folder));
            }
        }
        catch
        {
            Dispose();
            RunLock.RemoveFolders(created);   // a refused start leaves nothing behind
            throw;
        }
        Progress = seeds.Select(s => new TrainingProgress(s, plan.Config.Training.TotalSteps)).ToArray();
        return seeds;
    }

    public void Dispose()
    {
        foreach (var folderLock in _locks.Values) folderLock.Dispose();
        _locks.Clear();
    }

    /// <summary>The outcome ("Finished: …", "Throughput: …") once <see cref="Run"/> returns; printed after the live
    /// table's last redraw, so they close the output rather than sit above the table.</summary>
    public IReadOnlyList<string> ClosingLines { get; private set; } = [];

    public int Run(CancellationToken stop)
    {
        if (Progress.Count == 0)
        {
            log("Nothing to train: every seed is already complete.");
            return ExitCodes.Ok;
        }
        var wall = System.Diagnostics.Stopwatch.StartNew();
        long stepsBefore = Progress.Sum(p => p.Steps);

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
        long stepsThisSession = Progress.Sum(p => p.Steps) - stepsBefore;
        var closing = new List<string>
        {
            $"Finished: {statuses.Count(s => s == RunStatus.Completed)} completed, {failed} failed, {interrupted} interrupted; runs in {plan.GroupFolder}",
        };
        if (!plan.Resume) // a resumed seed's counters include the steps before the interruption
            closing.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Throughput: {stepsThisSession:N0} env steps in {wall.Elapsed.TotalSeconds:F1} s = {stepsThisSession / Math.Max(wall.Elapsed.TotalSeconds, 1e-9):N0} steps/s over all seeds ({Math.Min(plan.Parallel, Progress.Count)} at a time)"));
        ClosingLines = closing;
        for (int i = 0; i < statuses.Length; i++)
        {
            // Failures also go to stderr, where scripts and CI look for errors.
            if (statuses[i] != RunStatus.Failed) continue;
            string? reason = errors[i] ?? RunSummary.TryRead(plan.SeedFolder(Progress[i].Seed))?.Failure;
            Console.Error.WriteLine($"error: seed {Progress[i].Seed} failed: {reason ?? "see the log above"}");
        }
        if (failed > 0) return ExitCodes.Failed;
        if (interrupted > 0 || stop.IsCancellationRequested) return ExitCodes.Interrupted;
        return ExitCodes.Ok;
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
            // The folder is locked (Prepare), so clearing it cannot pull files from under another process.
            Directory.CreateDirectory(folder);
            using var folderLock = _locks.ContainsKey(seed) ? null : RunLock.Acquire(folder);
            bool resume = plan.Resume && Checkpoint.ExistsIn(folder);
            if (!resume && plan.Resume)
            {
                if (Directory.EnumerateFiles(folder).Any(f => SeedFolderFiles.IsOwn(Path.GetFileName(f))))
                    log($"seed {seed}: no checkpoint in {folder}; starting it again from step 0.");
                var kept = SeedFolderFiles.RemoveOwn(folder);   // only DqnStudy's files: anything else is the user's
                if (kept.Count > 0) log($"seed {seed}: left {string.Join(", ", kept)} in place (not DqnStudy's files).");
            }
            if (!resume) RunFolderPreparer.WriteConfig(folder, plan.Config);
            var blas = BlasSelector.Create(plan.BlasMode, plan.Config.BlasThreads).Blas;
            using var trainer = new DqnTrainer(plan.Config, seed, folder, blas, progress, log);
            var status = trainer.Run(stop, resume);
            return (status, null);
        }
        catch (Exception e) when (e is CheckpointException or RunFolderException)
        {
            progress.State = "failed";
            log($"seed {seed}: {e.Message}");
            MarkFailed(folder, e.Message);
            return (RunStatus.Failed, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a folder made read-only mid-run: the seed's files are the problem, not the code,
            // so say what failed without a stack trace (the last checkpoint, written atomically, is intact).
            progress.State = "failed";
            string reason = $"cannot write its run files: {e.Message}";
            log($"seed {seed}: {reason}");
            MarkFailed(folder, reason);
            return (RunStatus.Failed, reason);
        }
        catch (Exception e)
        {
            progress.State = "failed";
            log($"seed {seed}: crashed: {e}");
            MarkFailed(folder, e.Message);
            return (RunStatus.Failed, e.Message);
        }
    }

    /// <summary>Records a seed that could not train in its summary.json (when it has one), so the run
    /// folder says "failed" and why, not "interrupted" from an earlier session.</summary>
    private static void MarkFailed(string folder, string reason)
    {
        if (RunSummary.TryRead(folder) is not { } summary) return;
        summary.Status = "failed";
        summary.Failure = reason;
        try
        {
            summary.Write(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                summary.WriteInPlace(folder);   // a full disk has no room for the atomic write's temporary file
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // The failure is already logged; an unwritable folder must not hide it behind a second error.
            }
        }
    }
}
