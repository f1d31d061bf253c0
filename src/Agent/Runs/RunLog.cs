using System.Diagnostics;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Logging.TensorBoard;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Runs;

/// <summary>
/// What one seed's run writes about itself (SB3's logger and Monitor side): monitor.csv, progress.csv, eval.csv,
/// summary.json, the TensorBoard event file when logging.tensorboard is on, and the saved models. It keeps what those
/// files report beyond the trainer's counters: the last 100 episode returns, the last and best evaluations, the wall
/// clock. It knows nothing of the algorithm: the trainer hands it rows and counters and asks it to save a network.
/// </summary>
public sealed class RunLog : IDisposable
{
    private readonly string _folder;
    private readonly DqnConfig _config;
    private readonly int _seed;
    private readonly IBlas _blas;
    private readonly IReadOnlyList<string> _progressColumns;

    private ReturnWindow _last100 = new();
    private readonly Stopwatch _wall = new();
    private readonly double[] _evalRow = new double[EvalLog.Width];
    private double _previousWallSeconds;
    private long _resumedStep;
    private long _resumedUpdates;
    private long _intervalStartStep;
    private double _intervalStartSeconds;

    private MonitorLog _monitor = null!;
    private ProgressLog _progressLog = null!;
    private EvalLog _evalLog = null!;
    private TensorBoardLog? _tensorBoard;
    private RunSummary _summary = new();

    private RunLog(string folder, DqnConfig config, int seed, IBlas blas, IReadOnlyList<string> progressColumns)
    {
        _folder = folder;
        _config = config;
        _seed = seed;
        _blas = blas;
        _progressColumns = progressColumns;
    }

    public EvaluationResult? LastEvaluation { get; private set; }
    public long? LastEvaluationStep { get; private set; }
    /// <summary>The best greedy evaluation so far (the first of equals, as SB3's EvalCallback keeps it) and its step.</summary>
    public EvaluationResult? BestEvaluation { get; private set; }
    public long? BestEvaluationStep { get; private set; }

    /// <summary>Mean return of the last 100 episodes (NaN before the first).</summary>
    public double Last100Mean => _last100.Mean();

    /// <summary>Wall seconds over every session of the run.</summary>
    public double ElapsedSeconds => _previousWallSeconds + _wall.Elapsed.TotalSeconds;

    /// <summary>A new run: fresh logs and summary.json. `progressColumns`: <see cref="RunFolder.ProgressColumns"/>.</summary>
    public static RunLog Create(string folder, DqnConfig config, int seed, IBlas blas, IReadOnlyList<string> progressColumns)
    {
        var log = new RunLog(folder, config, seed, blas, progressColumns);
        log._monitor = MonitorLog.Create(folder, config.EnvId, MonitorLog.UnixNow());
        log._progressLog = ProgressLog.Create(folder, progressColumns);
        log._evalLog = EvalLog.Create(folder);
        if (config.Logging.Tensorboard) log._tensorBoard = TensorBoardLog.Create(folder, progressColumns, RunFolder.EvalColumns, resumedAt: null);
        log.StartSummary(resumedFrom: null, new RunCounters());
        return log;
    }

    /// <summary>
    /// The log of a run resumed from a checkpoint taken at `at` after `elapsedSeconds` of wall time: the logs cut back
    /// to the lengths the checkpoint recorded in `saved` (a killed run may have written rows past it), the best
    /// evaluation found again in eval.csv, a new TensorBoard file that supersedes later steps of earlier ones.
    /// </summary>
    public static RunLog Reopen(string folder, DqnConfig config, int seed, IBlas blas, IReadOnlyList<string> progressColumns,
                                Saved saved, RunCounters at, double elapsedSeconds)
    {
        var log = new RunLog(folder, config, seed, blas, progressColumns)
        {
            LastEvaluation = saved.LastEvaluation,
            _previousWallSeconds = elapsedSeconds,
            _resumedStep = at.Steps,
            _resumedUpdates = at.Updates,
            _last100 = saved.Last100,
        };
        log._monitor = MonitorLog.ReopenAt(folder, saved.MonitorLength);
        log._progressLog = ProgressLog.ReopenAt(folder, progressColumns, saved.ProgressLength);
        log._evalLog = EvalLog.ReopenAt(folder, saved.EvalLength);
        log.RestoreBestEvaluation();
        if (config.Logging.Tensorboard) log._tensorBoard = TensorBoardLog.Create(folder, progressColumns, RunFolder.EvalColumns, resumedAt: at.Steps);
        log.StartSummary(resumedFrom: at.Steps, at);
        return log;
    }

    /// <summary>Starts this session's clock (after Create or Reopen, when training starts).</summary>
    public void StartClock(long step)
    {
        _wall.Start();
        _intervalStartStep = step;
        _intervalStartSeconds = 0;
    }

    /// <summary>Env steps per second of this session at `step`, for the live display.</summary>
    public double SessionStepsPerSecond(long step)
    {
        double seconds = _wall.Elapsed.TotalSeconds;
        return seconds > 0 ? (step - _resumedStep) / seconds : 0;
    }

    // ---- what the trainer reports --------------------------------------------------------------

    /// <summary>An episode ended at `step`: a monitor.csv row (and TensorBoard's episode/return and episode/length).</summary>
    public void Episode(long step, double episodeReturn, int length)
    {
        _last100.Add(episodeReturn);
        _monitor.Episode(episodeReturn, length, MonitorLog.UnixNow());
        _tensorBoard?.Episode(step, episodeReturn, length);
    }

    /// <summary>Fills <see cref="RunFolder.ProgressTail"/> at `row[column..]` for the interval that ends at `step`; returns
    /// the next column.</summary>
    public int WriteProgressTail(Span<double> row, int column, long step)
    {
        double seconds = ElapsedSeconds;
        double sps = (step - _intervalStartStep) / Math.Max(seconds - _intervalStartSeconds, 1e-9);
        row[column++] = _last100.Mean();
        row[column++] = Math.Round(sps, 1);
        row[column++] = Math.Round(seconds, 3);
        _intervalStartStep = step;
        _intervalStartSeconds = seconds;
        return column;
    }

    /// <summary>A finished progress.csv row (<see cref="RunFolder.ProgressColumns"/>; NaN = an empty cell).</summary>
    public void Progress(ReadOnlySpan<double> row)
    {
        _progressLog.Row(row);
        _tensorBoard?.ProgressRow(row);
    }

    /// <summary>A greedy evaluation at `at.Steps`: an eval.csv row and summary.json updated; true when it is a new best
    /// (the caller then saves best_model).</summary>
    public bool Evaluated(RunCounters at, EvaluationResult evaluation)
    {
        LastEvaluation = evaluation;
        LastEvaluationStep = at.Steps;
        bool best = BestEvaluation is not { } previous || evaluation.ReturnMean > previous.ReturnMean;
        if (best)
        {
            BestEvaluation = evaluation;
            BestEvaluationStep = at.Steps;
        }
        evaluation.WriteRow(at.Steps, _evalRow);
        _evalLog.Row(_evalRow);
        _tensorBoard?.Evaluation(_evalRow);
        WriteSummary("running", at);
        return best;
    }

    /// <summary>best_model.bin (with the best evaluation) or final_model.bin (with the last) and its .json, at `step`.</summary>
    /// <param name="write">writes the network in its model format (the learner's SaveModel).</param>
    /// <param name="network">the network's one-line description.</param>
    public void SaveModel(ModelKind kind, Action<BinaryWriter> write, string network, long step)
    {
        bool best = kind == ModelKind.Best;
        var evaluation = best ? BestEvaluation : LastEvaluation;
        ModelFiles.Save(_folder, kind, write, new ModelInfo
        {
            Model = ModelFiles.Name(kind), File = ModelFiles.FileName(kind), EnvId = _config.EnvId, Network = network, Step = step,
            EvalStep = best ? BestEvaluationStep : LastEvaluationStep, EvalReturnMean = evaluation?.ReturnMean,
            EvalReturnStd = evaluation?.ReturnStd, EvalEpisodes = evaluation?.Episodes,
        });
    }

    /// <summary>The run ends this session: "completed", "interrupted" or "failed" (with the reason).</summary>
    public void Finish(string status, string? failure, RunCounters at)
    {
        _summary.Failure = failure;
        WriteSummary(status, at);
    }

    // ---- summary.json ---------------------------------------------------------------------------

    private void StartSummary(long? resumedFrom, RunCounters at)
    {
        _summary = new RunSummary
        {
            EnvId = _config.EnvId,
            Seed = _seed,
            ConfigName = _config.Name,
            TotalSteps = _config.Training.TotalSteps,
            Blas = _blas.Name,
            BlasDescription = _blas.Describe(),
            Loss = ConfigSchema.SnakeCase(_config.Loss.Type.ToString()),
            ResumedFromStep = resumedFrom,
        };
        WriteSummary("running", at);
    }

    private void WriteSummary(string status, RunCounters at)
    {
        double seconds = ElapsedSeconds;
        double thisSession = _wall.Elapsed.TotalSeconds;
        _summary.Status = status;
        _summary.StepsDone = at.Steps;
        _summary.Episodes = at.Episodes;
        _summary.Updates = at.Updates;
        _summary.FinalEvalReturnMean = LastEvaluation?.ReturnMean;
        _summary.FinalEvalReturnStd = LastEvaluation?.ReturnStd;
        _summary.FinalEvalStep = LastEvaluationStep;
        _summary.BestEvalReturnMean = BestEvaluation?.ReturnMean;
        _summary.BestEvalReturnStd = BestEvaluation?.ReturnStd;
        _summary.BestEvalStep = BestEvaluationStep;
        _summary.BestModel = File.Exists(ModelFiles.PathOf(_folder, ModelKind.Best)) ? ModelFiles.FileName(ModelKind.Best) : null;
        _summary.FinalModel = File.Exists(ModelFiles.PathOf(_folder, ModelKind.Final)) ? ModelFiles.FileName(ModelKind.Final) : null;
        _summary.Last100TrainReturnMean = _last100.Count > 0 ? _last100.Mean() : null;
        _summary.WallSeconds = Math.Round(seconds, 3);
        _summary.StepsPerSecond = thisSession > 0 ? Math.Round((at.Steps - _resumedStep) / thisSession, 1) : 0;
        long sessionUpdates = at.Updates - _resumedUpdates;
        _summary.UpdatesPerSecond = thisSession > 0 ? Math.Round(sessionUpdates / thisSession, 1) : 0;
        _summary.MicrosecondsPerUpdate = sessionUpdates > 0
            ? Math.Round(at.UpdateTicks * 1e6 / Stopwatch.Frequency / sessionUpdates, 2) : null;
        _summary.Write(_folder);
    }

    // ---- checkpoint -------------------------------------------------------------------------------

    /// <summary>The log's part of a checkpoint: the last evaluation, how long each log was, the last 100 returns.
    /// (The best evaluation is not in it: eval.csv's rows up to the recorded length are.)</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(LastEvaluation.HasValue);
        if (LastEvaluation is { } e)
        {
            writer.Write(e.ReturnMean); writer.Write(e.ReturnStd); writer.Write(e.ReturnMin);
            writer.Write(e.ReturnMax); writer.Write(e.LengthMean); writer.Write(e.Episodes);
        }
        writer.Write(_monitor.Length);
        writer.Write(_progressLog.Length);
        writer.Write(_evalLog.Length);
        _last100.Save(writer);
    }

    /// <summary>What <see cref="Save"/> wrote, to <see cref="Reopen"/> the log with once the whole checkpoint is read.</summary>
    public static Saved Load(BinaryReader reader)
    {
        EvaluationResult? last = null;
        if (reader.ReadBoolean())
            last = new EvaluationResult(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(),
                                        reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32());
        long monitor = reader.ReadInt64(), progress = reader.ReadInt64(), eval = reader.ReadInt64();
        var last100 = new ReturnWindow();
        last100.Load(reader);
        return new Saved(last, monitor, progress, eval, last100);
    }

    public sealed record Saved(EvaluationResult? LastEvaluation, long MonitorLength, long ProgressLength, long EvalLength, ReturnWindow Last100);

    /// <summary>The best and last evaluation steps kept by the checkpoint's part of eval.csv. best_model.bin may hold a
    /// network from after the checkpoint; the resumed run replays the same steps and evaluations, so it writes the same
    /// one again.</summary>
    private void RestoreBestEvaluation()
    {
        foreach (var (step, evaluation) in EvalLog.ReadRows(_folder))
        {
            LastEvaluationStep = step;
            if (BestEvaluation is not { } previous || evaluation.ReturnMean > previous.ReturnMean)
            {
                BestEvaluation = evaluation;
                BestEvaluationStep = step;
            }
        }
    }

    public void Dispose()
    {
        _monitor?.Dispose();
        _progressLog?.Dispose();
        _evalLog?.Dispose();
        _tensorBoard?.Dispose();
    }
}

/// <summary>The trainer's counters as the run log reports them, and the Stopwatch ticks this session spent in
/// updates (summary.json's microseconds_per_update).</summary>
public readonly record struct RunCounters(long Steps, long Updates, long Episodes, long UpdateTicks);
