using DqnStudy.Agent.Seeding;
using System.Diagnostics;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Logging.TensorBoard;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// What a run records about itself, apart from the learner (SB3's logger and monitor side): monitor.csv,
/// progress.csv, eval.csv and summary.json; the step/update/episode/evaluation counters; the current episode
/// (its seed and actions, to rebuild it on resume); the last-100 returns; the interval statistics of the next
/// progress row; the wall clock; the TensorBoard event file when logging.tensorboard is on; the live <see cref="TrainingProgress"/>. It also frames checkpoint.bin: header,
/// this state, then whatever the trainer writes (network, optimiser, replay), then the trailer. A trainer owns
/// the environment, the network and the loop; this class owns the bookkeeping both trainers share.
/// </summary>
public sealed class RunRecord : IDisposable
{
    public const string CheckpointFileName = "checkpoint.bin";

    private static readonly string[] HeadColumns =
    [
        "steps", "updates", "episodes", "epsilon", "loss", "mean_q", "td_error_mean", "td_error_max",
        "zeroed_share", "clipped_share", "terminal_share", "terminal_out_of_band_share", "mean_q_terminal", "grad_norm",
    ];
    private static readonly string[] TailColumns = ["last100_return", "sps", "time_elapsed"];

    private readonly DqnConfig _config;
    private readonly int _seed;
    private readonly string _folder;
    private readonly IBlas _blas;
    private readonly TrainingProgress _progress;
    private readonly Action<string> _log;
    private readonly IReadOnlyList<string> _progressColumns;

    private readonly ReturnWindow _last100 = new();
    private int[] _episodeActions = new int[1024];
    private double _previousWallSeconds;
    private readonly Stopwatch _wall = new();
    private long _resumedStep;
    private long _resumedUpdates;
    private long _intervalStartStep;
    private double _intervalStartSeconds;
    private double _rowSeconds;

    private MonitorLog? _monitor;
    private ProgressLog? _progressLog;
    private EvalLog? _evalLog;
    private TensorBoardLog? _tensorBoard;
    private RunSummary _summary = new();

    // Read from the checkpoint; the logs are cut back to these only once the whole checkpoint has been read.
    private long _monitorLength;
    private long _progressLength;
    private long _evalLength;

    /// <param name="progressColumns">progress.csv's header (<see cref="ProgressColumns"/>).</param>
    /// <param name="gradientGroups">how many per-layer (or per-tensor) gradient norms the interval statistics keep.</param>
    public RunRecord(DqnConfig config, int seed, string folder, IBlas blas, TrainingProgress progress, Action<string> log,
                     IReadOnlyList<string> progressColumns, int gradientGroups)
    {
        _config = config;
        _seed = seed;
        _folder = folder;
        _blas = blas;
        _progress = progress;
        _log = log;
        _progressColumns = progressColumns;
        Interval = new IntervalStats(gradientGroups);
    }

    public long Step { get; set; }
    public long Updates { get; set; }
    public long Episodes { get; private set; }
    public long Evaluations { get; private set; }
    public int EpisodeSeed { get; private set; }
    public int EpisodeLength { get; private set; }
    public double EpisodeReturn { get; private set; }
    public double LastFiniteGradNorm { get; set; }
    public EvaluationResult? LastEvaluation { get; private set; }
    public long? LastEvaluationStep { get; private set; }
    /// <summary>The best greedy evaluation so far (the first of equals, as SB3's EvalCallback keeps it) and its step.</summary>
    public EvaluationResult? BestEvaluation { get; private set; }
    public long? BestEvaluationStep { get; private set; }
    public IntervalStats Interval { get; }
    /// <summary>Stopwatch ticks spent in updates this session (microseconds_per_update).</summary>
    public long UpdateTicks { get; set; }
    public string CheckpointPath => Path.Combine(_folder, CheckpointFileName);

    /// <summary>progress.csv's columns: the shared head, the trainer's own columns, the shared tail.</summary>
    public static List<string> ProgressColumns(IEnumerable<string> trainerColumns) => [.. HeadColumns, .. trainerColumns, .. TailColumns];

    /// <summary>A NaN where training stopped, with the counters and the last finite gradient norm.</summary>
    public NumericalFaultException Fault(string quantity, string where) => new(Step, Updates, quantity, where, LastFiniteGradNorm);

    // ---- session -----------------------------------------------------------------------------

    /// <summary>A new run: fresh logs and summary.json (the trainer then begins episode 0).</summary>
    public void StartFresh()
    {
        _monitor = MonitorLog.Create(_folder, _config.EnvId, MonitorLog.UnixNow());
        _progressLog = ProgressLog.Create(_folder, _progressColumns);
        _evalLog = EvalLog.Create(_folder);
        if (_config.Logging.Tensorboard) _tensorBoard = TensorBoardLog.Create(_folder, _progressColumns, resumedAt: null);
        InitSummary(null);
    }

    /// <summary>Starts this session's clock (after StartFresh or a restore).</summary>
    public void StartClock()
    {
        _wall.Start();
        _intervalStartStep = Step;
        _intervalStartSeconds = 0;
        _progress.State = "training";
    }

    public void Finish(string status, string? failure, double epsilon)
    {
        _summary.Failure = failure;
        UpdateSummary(status);
        _progress.State = status;
        PublishProgress(epsilon);
    }

    // ---- episodes ----------------------------------------------------------------------------

    /// <summary>Starts episode number Episodes; returns the seed to reset the environment with.</summary>
    public int BeginEpisode()
    {
        EpisodeSeed = Seeds.TrainEpisode(_seed, Episodes);
        EpisodeLength = 0;
        EpisodeReturn = 0;
        return EpisodeSeed;
    }

    /// <summary>One environment step taken: remember the action (for the resume replay), add the reward, count it.</summary>
    public void StepTaken(int action, double reward)
    {
        if (EpisodeLength == _episodeActions.Length) Array.Resize(ref _episodeActions, _episodeActions.Length * 2);
        _episodeActions[EpisodeLength++] = action;
        EpisodeReturn += reward;
        Step++;
    }

    public void EndEpisode()
    {
        Episodes++;
        _last100.Add(EpisodeReturn);
        _monitor!.Episode(EpisodeReturn, EpisodeLength, MonitorLog.UnixNow());
        _tensorBoard?.Episode(Step, EpisodeReturn, EpisodeLength);
    }

    // ---- evaluation, progress, summary -------------------------------------------------------

    /// <summary>Logs an evaluation at the current step; true when it is a new best (the caller saves best_model then).</summary>
    public bool Evaluated(EvaluationResult evaluation)
    {
        Evaluations++;
        LastEvaluation = evaluation;
        LastEvaluationStep = Step;
        bool best = BestEvaluation is not { } previous || evaluation.ReturnMean > previous.ReturnMean;
        if (best)
        {
            BestEvaluation = evaluation;
            BestEvaluationStep = Step;
            _progress.BestEvalReturn = evaluation.ReturnMean;
        }
        _evalLog!.Row(Step, evaluation);
        _tensorBoard?.Evaluation(Step, evaluation);
        _progress.LastEvalReturn = evaluation.ReturnMean;
        UpdateSummary("running");
        return best;
    }

    /// <summary>The .json to write beside a model saved now: the best evaluation for best_model, the last for final_model.</summary>
    public ModelInfo ModelInfo(ModelKind kind, string network)
    {
        bool best = kind == ModelKind.Best;
        var evaluation = best ? BestEvaluation : LastEvaluation;
        return new ModelInfo
        {
            Model = ModelFiles.Name(kind), File = ModelFiles.FileName(kind), EnvId = _config.EnvId, Network = network, Step = Step,
            EvalStep = best ? BestEvaluationStep : LastEvaluationStep, EvalReturnMean = evaluation?.ReturnMean,
            EvalReturnStd = evaluation?.ReturnStd, EvalEpisodes = evaluation?.Episodes,
        };
    }

    /// <summary>Fills the shared head columns of a progress row from the interval statistics; returns the next column.</summary>
    public int WriteRowHead(Span<double> row, double epsilon)
    {
        var s = Interval;
        _rowSeconds = ElapsedSeconds();
        int c = 0;
        row[c++] = Step;
        row[c++] = Updates;
        row[c++] = Episodes;
        row[c++] = epsilon;
        row[c++] = s.Mean(s.LossSum, s.Updates);
        row[c++] = s.Mean(s.QTakenSum, s.Samples);
        row[c++] = s.Mean(s.AbsDeltaSum, s.Samples);
        row[c++] = s.Updates == 0 ? double.NaN : s.AbsDeltaMax;
        row[c++] = s.Mean(s.ZeroedSamples, s.Samples);
        row[c++] = s.Mean(s.ClippedSamples, s.Samples);
        row[c++] = s.Mean(s.TerminalSamples, s.Samples);
        row[c++] = s.Mean(s.TerminalOutOfBand, s.TerminalSamples);
        row[c++] = s.Mean(s.TerminalQSum, s.TerminalSamples);
        row[c++] = s.Mean(s.GradNormSum, s.Updates);
        return c;
    }

    /// <summary>Fills the shared tail columns at `column`; returns the next column.</summary>
    public int WriteRowTail(Span<double> row, int column)
    {
        double sps = (Step - _intervalStartStep) / Math.Max(_rowSeconds - _intervalStartSeconds, 1e-9);
        row[column++] = _last100.Mean();
        row[column++] = Math.Round(sps, 1);
        row[column++] = Math.Round(_rowSeconds, 3);
        return column;
    }

    /// <summary>Appends the finished row to progress.csv and starts the next interval.</summary>
    public void AppendProgressRow(ReadOnlySpan<double> row)
    {
        _progressLog!.Row(row);
        _tensorBoard?.ProgressRow(row);
        _progress.Loss = row[4];
        Interval.Reset();
        _intervalStartStep = Step;
        _intervalStartSeconds = _rowSeconds;
    }

    public void PublishProgress(double epsilon)
    {
        _progress.Steps = Step;
        _progress.Episodes = Episodes;
        _progress.Updates = Updates;
        _progress.Epsilon = epsilon;
        _progress.Last100Return = _last100.Mean();
        double seconds = ElapsedSeconds() - _previousWallSeconds;
        _progress.StepsPerSecond = seconds > 0 ? (Step - _resumedStep) / seconds : 0;
    }

    private double ElapsedSeconds() => _previousWallSeconds + _wall.Elapsed.TotalSeconds;

    private void UpdateSummary(string status)
    {
        double seconds = ElapsedSeconds();
        double thisSession = _wall.Elapsed.TotalSeconds;
        _summary.Status = status;
        _summary.StepsDone = Step;
        _summary.Episodes = Episodes;
        _summary.Updates = Updates;
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
        _summary.StepsPerSecond = thisSession > 0 ? Math.Round((Step - _resumedStep) / thisSession, 1) : 0;
        long sessionUpdates = Updates - _resumedUpdates;
        _summary.UpdatesPerSecond = thisSession > 0 ? Math.Round(sessionUpdates / thisSession, 1) : 0;
        _summary.MicrosecondsPerUpdate = sessionUpdates > 0
            ? Math.Round(UpdateTicks * 1e6 / Stopwatch.Frequency / sessionUpdates, 2) : null;
        _summary.Write(_folder);
    }

    private void InitSummary(long? resumedFrom)
    {
        _summary = new RunSummary
        {
            EnvId = _config.EnvId,
            Seed = _seed,
            ConfigName = _config.Name,
            TotalSteps = _config.Training.TotalSteps,
            Blas = _blas.Name,
            BlasDescription = _blas.Describe(),
            Loss = DqnComponents.Name(_config.Loss.Type),
            ResumedFromStep = resumedFrom,
        };
        UpdateSummary("running");
    }

    // ---- checkpoint --------------------------------------------------------------------------

    /// <summary>Writes checkpoint.bin atomically: header, this record, `writeTrainerState`'s part, trailer.</summary>
    public void SaveCheckpoint(Action<BinaryWriter> writeTrainerState)
    {
        AtomicFile.Write(CheckpointPath, stream =>
        {
            using var writer = TrainingCheckpoint.CreateWriter(stream);
            TrainingCheckpoint.WriteHeader(writer, TrainingCheckpoint.Fingerprint(_config), _seed);
            Save(writer);
            writeTrainerState(writer);
            TrainingCheckpoint.WriteTrailer(writer);
        });
    }

    /// <summary>
    /// Reads checkpoint.bin (this record, then `readTrainerState(reader, path)`), cuts the logs back to the checkpoint
    /// (a killed run may have written rows past it) and rebuilds the interrupted episode on `environment`: same reset
    /// seed, same actions, leaving its current observation in `observation`. Any unreadable file is a CheckpointException.
    /// </summary>
    public void RestoreCheckpoint(IEnvironment environment, Span<float> observation, Action<BinaryReader, string> readTrainerState)
    {
        string path = CheckpointPath;
        try
        {
            using (var stream = TrainingCheckpoint.Open(path))
            using (var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                TrainingCheckpoint.ReadHeader(reader, path, TrainingCheckpoint.Fingerprint(_config), _seed);
                Load(reader, path);
                readTrainerState(reader, path);
                TrainingCheckpoint.ReadTrailer(reader, path);
            }
            _monitor = MonitorLog.ReopenAt(_folder, _monitorLength);
            _progressLog = ProgressLog.ReopenAt(_folder, _progressColumns, _progressLength);
            _evalLog = EvalLog.ReopenAt(_folder, _evalLength);
            RestoreBestEvaluation();
            if (_config.Logging.Tensorboard) _tensorBoard = TensorBoardLog.Create(_folder, _progressColumns, resumedAt: Step);
            ReplayEpisode(environment, observation, path);
            _resumedStep = Step;
            _resumedUpdates = Updates;
            InitSummary(Step);
            _log($"seed {_seed}: resumed at step {Step:N0} ({Episodes:N0} episodes, {Updates:N0} updates)");
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException && e is not FileNotFoundException)
        {
            throw new CheckpointException($"{path}: cannot resume from this checkpoint: {e.Message}");
        }
    }

    /// <summary>The best and last evaluations kept by the checkpoint's part of eval.csv (the best is not in the checkpoint
    /// itself: the rows are). best_model.bin may hold a network from after the checkpoint; the resumed run replays the
    /// same steps and evaluations, so it writes the same one again.</summary>
    private void RestoreBestEvaluation()
    {
        foreach (var (step, evaluation) in EvalLog.ReadRows(_folder))
        {
            LastEvaluationStep = step;
            if (BestEvaluation is not { } previous || evaluation.ReturnMean > previous.ReturnMean)
            {
                BestEvaluation = evaluation;
                BestEvaluationStep = step;
                _progress.BestEvalReturn = evaluation.ReturnMean;
            }
        }
    }

    private void ReplayEpisode(IEnvironment environment, Span<float> observation, string path)
    {
        environment.Reset(EpisodeSeed).CopyTo(observation);
        for (int i = 0; i < EpisodeLength; i++)
        {
            var result = environment.Step(_episodeActions[i]);
            if ((result.Terminated || result.Truncated) && i != EpisodeLength - 1)
                throw new InvalidDataException($"{path}: replaying the interrupted episode ended it early (step {i + 1} of {EpisodeLength}); the environment differs from the one that wrote the checkpoint.");
            result.Observation.CopyTo(observation);
        }
    }

    private void Save(BinaryWriter writer)
    {
        writer.Write(Step);
        writer.Write(Updates);
        writer.Write(Episodes);
        writer.Write(Evaluations);
        writer.Write(EpisodeSeed);
        writer.Write(EpisodeLength);
        for (int i = 0; i < EpisodeLength; i++) writer.Write(_episodeActions[i]);
        writer.Write(EpisodeReturn);
        writer.Write(ElapsedSeconds());
        writer.Write(LastFiniteGradNorm);
        writer.Write(LastEvaluation.HasValue);
        if (LastEvaluation is { } e)
        {
            writer.Write(e.ReturnMean); writer.Write(e.ReturnStd); writer.Write(e.ReturnMin);
            writer.Write(e.ReturnMax); writer.Write(e.LengthMean); writer.Write(e.Episodes);
        }
        writer.Write(_monitor!.Length);
        writer.Write(_progressLog!.Length);
        writer.Write(_evalLog!.Length);
        _last100.Save(writer);
        Interval.Save(writer);
    }

    private void Load(BinaryReader reader, string path)
    {
        Step = reader.ReadInt64();
        Updates = reader.ReadInt64();
        Episodes = reader.ReadInt64();
        Evaluations = reader.ReadInt64();
        if (Step < 0 || Step > _config.Training.TotalSteps || Updates < 0 || Episodes < 0 || Evaluations < 0)
            throw new InvalidDataException($"{path}: counters out of range (step {Step}, updates {Updates}, episodes {Episodes}).");
        EpisodeSeed = reader.ReadInt32();
        int episodeLength = reader.ReadInt32();
        if (episodeLength < 0 || episodeLength > Step || (long)episodeLength * 4 > reader.BaseStream.Length)
            throw new InvalidDataException($"{path}: episode length {episodeLength} is impossible at step {Step}.");
        _episodeActions = new int[Math.Max(1024, episodeLength)];
        for (int i = 0; i < episodeLength; i++) _episodeActions[i] = reader.ReadInt32();
        EpisodeLength = episodeLength;
        EpisodeReturn = reader.ReadDouble();
        _previousWallSeconds = reader.ReadDouble();
        LastFiniteGradNorm = reader.ReadDouble();
        if (reader.ReadBoolean())
        {
            LastEvaluation = new EvaluationResult(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(),
                                                  reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32());
        }
        _monitorLength = reader.ReadInt64();
        _progressLength = reader.ReadInt64();
        _evalLength = reader.ReadInt64();
        _last100.Load(reader);
        Interval.Load(reader);
    }

    public void Dispose()
    {
        _monitor?.Dispose();
        _progressLog?.Dispose();
        _evalLog?.Dispose();
        _tensorBoard?.Dispose();
    }
}
