using System.Diagnostics;
using System.Numerics.Tensors;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Instruments;
using DqnStudy.Agent.Logging;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// DQN for one seed, read top to bottom like cleanrl's dqn.py: act ε-greedily, store the transition,
/// every train_freq steps take gradient_steps updates on sampled minibatches against a target
/// network, update the target, log, evaluate greedily, checkpoint. It knows nothing of the host:
/// tests call it directly.
/// </summary>
public sealed class DqnTrainer : IDisposable
{
    private readonly DqnConfig _config;
    private readonly int _seed;
    private readonly string _folder;
    private readonly IBlas _blas;
    private readonly TrainingProgress _progress;
    private readonly Action<string> _log;

    private readonly EpisodeStatistics _env;
    private readonly IEnvironment _evalEnv;
    private readonly int _observationSize;
    private readonly int _actionCount;

    private readonly Mlp _online;
    private readonly Mlp _target;
    private readonly IOptimizer _optimizer;
    private readonly DqnLoss _loss;
    private readonly EpsilonSchedule _epsilon;
    private readonly ReplayBuffer _buffer;
    private readonly TransitionBatch _batch;
    private readonly float[] _tdTargets;
    private readonly int[] _nextActions;
    private readonly float[] _dq;
    private readonly TrainingInstruments? _instruments;   // null unless instruments.enabled
    private float[] _observation;
    private float[] _nextObservation;

    // Everything below is run state: a checkpoint saves exactly this.
    private readonly Rng _rng;
    private readonly IntervalStats _interval;
    private readonly ReturnWindow _last100 = new();
    private long _step;
    private long _updates;
    private long _episodes;
    private long _evaluations;
    private int _episodeSeed;
    private int[] _episodeActions = new int[1024];
    private int _episodeLength;
    private double _episodeReturn;
    private double _previousWallSeconds;
    private double _lastFiniteGradNorm;
    private EvaluationResult? _lastEvaluation;

    private readonly double[] _layerSquares;
    private readonly double[] _progressRow;
    private readonly IReadOnlyList<string> _progressColumns;
    private MonitorLog? _monitor;
    private ProgressLog? _progressLog;
    private EvalLog? _evalLog;
    private RunSummary _summary = new();
    private long _updateTicks;
    private readonly Stopwatch _wall = new();
    private long _intervalStartStep;
    private double _intervalStartSeconds;

    public DqnTrainer(DqnConfig config, int seed, string runFolder, IBlas blas, TrainingProgress? progress = null,
                      Action<string>? log = null)
    {
        _config = config;
        _seed = seed;
        _folder = runFolder;
        _blas = blas;
        _progress = progress ?? new TrainingProgress(seed, config.Training.TotalSteps);
        _log = log ?? (_ => { });

        _env = new EpisodeStatistics(EnvironmentRegistry.Make(config.EnvId, EnvKwargs(config)));
        _evalEnv = EnvironmentRegistry.Make(config.EnvId, EnvKwargs(config));
        _observationSize = _env.ObservationSpace.Size;
        _actionCount = _env.ActionSpace.N;

        var dqn = config.Dqn;
        _online = DqnComponents.CreateNetwork(config, blas, _observationSize, _actionCount, dqn.BatchSize, seed);
        _target = _online.Clone();
        _optimizer = DqnComponents.CreateOptimizer(config, _online.Parameters.Count);
        _loss = new DqnLoss(DqnComponents.CreateLoss(config), dqn.BatchSize, _actionCount);
        _epsilon = new EpsilonSchedule(dqn.ExplorationInitialEps, dqn.ExplorationFinalEps,
                                       (long)(dqn.ExplorationFraction * config.Training.TotalSteps));
        _buffer = new ReplayBuffer(dqn.BufferSize, _observationSize);
        _batch = new TransitionBatch(dqn.BatchSize, _observationSize);
        _tdTargets = new float[dqn.BatchSize];
        _nextActions = new int[dqn.BatchSize];
        _dq = new float[dqn.BatchSize * _actionCount];
        _observation = new float[_observationSize];
        _nextObservation = new float[_observationSize];

        _rng = new Rng(Seeds.Agent(seed));
        _interval = new IntervalStats(_online.DenseLayers.Count);
        _layerSquares = new double[_online.DenseLayers.Count];
        _instruments = config.Instruments.Enabled ? new TrainingInstruments(config.Instruments, _online, seed, _log) : null;
        _progressColumns = ProgressColumns(_online, _instruments);
        _progressRow = new double[_progressColumns.Count];
    }

    public const string CheckpointFileName = "checkpoint.bin";

    /// <summary>Behave as if interrupted when this step is reached (tests of interrupt-and-resume).</summary>
    internal long? StopAtStep { get; init; }

    /// <summary>Runs right after each backward pass (tests inject faults into gradients here).</summary>
    internal Action<Mlp>? AfterBackward { get; init; }
    public Mlp OnlineNetwork => _online;
    public Mlp TargetNetwork => _target;
    public long Step => _step;
    public long Updates => _updates;

    /// <summary>Trains to total_steps (or until `stop` fires: then saves a checkpoint and returns Interrupted).</summary>
    public RunStatus Run(CancellationToken stop, bool resume = false)
    {
        long total = _config.Training.TotalSteps;
        if (resume) RestoreFromCheckpoint();
        else StartFresh();
        _wall.Start();
        _intervalStartStep = _step;
        _intervalStartSeconds = 0;
        _progress.State = "training";
        var dqn = _config.Dqn;

        try
        {
            while (_step < total)
            {
                if (stop.IsCancellationRequested || _step == StopAtStep)
                {
                    SaveCheckpoint();
                    Finish("interrupted", null);
                    return RunStatus.Interrupted;
                }

                // ε-greedy action on the current observation.
                double epsilon = _epsilon.At(_step);
                int action = _rng.NextDouble() < epsilon ? _rng.NextInt(_actionCount) : GreedyAction(_observation);

                // Step, and store the true next observation (on truncation: the episode's final one).
                var result = _env.Step(action);
                result.Observation.CopyTo(_nextObservation);
                _buffer.Add(_observation, _nextObservation, action, (float)result.Reward, result.Terminated, result.Truncated);
                RememberAction(action);
                _episodeReturn += result.Reward;
                _step++;

                if (result.Terminated || result.Truncated)
                {
                    EndEpisode();
                }
                else
                {
                    (_observation, _nextObservation) = (_nextObservation, _observation);
                }

                // Learn.
                if (_step > dqn.LearningStarts)
                {
                    if (_step % dqn.TrainFreq == 0)
                    {
                        long start = Stopwatch.GetTimestamp();
                        for (int g = 0; g < dqn.GradientSteps; g++) Update();
                        _updateTicks += Stopwatch.GetTimestamp() - start;
                    }
                    if (_step % dqn.TargetUpdateInterval == 0) UpdateTarget();
                }

                if ((_step & 255) == 0) PublishProgress(epsilon);
                if (_step % _config.Training.LogInterval == 0) WriteProgressRow(epsilon);
                if (_config.Training.EvalInterval > 0 && _step % _config.Training.EvalInterval == 0) Evaluate();
                if (_config.Training.CheckpointInterval > 0 && _step % _config.Training.CheckpointInterval == 0 && _step < total)
                    SaveCheckpoint();
            }

            bool evaluationOn = _config.Training.EvalEpisodes > 0;
            if (evaluationOn && (_config.Training.EvalInterval == 0 || total % _config.Training.EvalInterval != 0)) Evaluate();
            SaveCheckpoint();
            Finish("completed", null);
            return RunStatus.Completed;
        }
        catch (NumericalFaultException fault)
        {
            // Keep the last good checkpoint and the logs; do not save the poisoned state.
            _log($"seed {_seed}: {fault.Message}");
            Finish("failed", fault.Message);
            return RunStatus.Failed;
        }
    }

    // ---- acting -------------------------------------------------------------------------------

    private int GreedyAction(ReadOnlySpan<float> observation) => Greedy.ArgMax(_online.Forward(observation, 1));

    private void RememberAction(int action)
    {
        if (_episodeLength == _episodeActions.Length) Array.Resize(ref _episodeActions, _episodeActions.Length * 2);
        _episodeActions[_episodeLength++] = action;
    }

    private void EndEpisode()
    {
        _episodes++;
        _last100.Add(_episodeReturn);
        _monitor!.Episode(_episodeReturn, _episodeLength, MonitorLog.UnixNow());
        BeginEpisode(_episodes);
    }

    private void BeginEpisode(long episodeIndex)
    {
        _episodeSeed = Seeds.TrainEpisode(_seed, episodeIndex);
        _env.Reset(_episodeSeed).CopyTo(_observation);
        _episodeLength = 0;
        _episodeReturn = 0;
    }

    // ---- learning -----------------------------------------------------------------------------

    private void Update()
    {
        var dqn = _config.Dqn;
        int batch = dqn.BatchSize;
        _buffer.Sample(_rng, _batch, batch);
        ComputeTdTargets(batch, (float)dqn.Gamma, dqn.DoubleDqn);

        _online.ZeroGrad();
        ReadOnlySpan<float> q = _online.Forward(_batch.Observations, batch);
        float loss = _loss.Compute(q, _batch.Actions, _tdTargets, _dq, batch);
        if (!float.IsFinite(loss)) throw LossFault(q, batch);
        _online.Backward(_dq, batch);
        AfterBackward?.Invoke(_online);

        double gradNorm = MeasureGradients();
        if (!double.IsFinite(gradNorm)) throw GradientFault();
        _lastFiniteGradNorm = gradNorm;
        var gradients = _online.Parameters.Gradients;
        if (_config.MaxGradNorm > 0) GradientClipping.ClipGlobalNorm(gradients, (float)_config.MaxGradNorm);
        if (_config.ClipGradValue > 0) GradientClipping.ClipByValue(gradients, (float)_config.ClipGradValue);
        _instruments?.BeforeOptimizerStep(_buffer);
        _optimizer.Step(_online.Parameters.Values, gradients);
        _instruments?.AfterOptimizerStep();
        _updates++;
        Accumulate(loss, gradNorm, batch);
    }

    private void ComputeTdTargets(int batch, float gamma, bool doubleDqn)
    {
        if (doubleDqn)
        {
            ReadOnlySpan<float> qOnline = _online.Forward(_batch.NextObservations, batch);
            for (int i = 0; i < batch; i++) _nextActions[i] = Greedy.ArgMax(qOnline.Slice(i * _actionCount, _actionCount));
        }
        ReadOnlySpan<float> qNext = _target.Forward(_batch.NextObservations, batch);
        TdTargets.Compute(qNext, doubleDqn ? _nextActions : default, _batch.Rewards, _batch.Terminated, gamma,
                          _tdTargets, batch, _actionCount);
    }

    /// <summary>Per-layer squared gradient norms into _layerSquares; returns the global norm (before clipping).</summary>
    private double MeasureGradients()
    {
        double total = 0;
        var layers = _online.DenseLayers;
        for (int l = 0; l < layers.Count; l++)
        {
            double squares = TensorPrimitives.SumOfSquares(layers[l].WeightGrad) + (double)TensorPrimitives.SumOfSquares(layers[l].BiasGrad);
            _layerSquares[l] = squares;
            total += squares;
        }
        return Math.Sqrt(total);
    }

    private void Accumulate(float loss, double gradNorm, int batch)
    {
        var s = _interval;
        var stats = _loss.LastStats;
        s.Updates++;
        s.LossSum += loss;
        s.GradNormSum += gradNorm;
        for (int l = 0; l < _layerSquares.Length; l++) s.LayerGradNormSums[l] += Math.Sqrt(_layerSquares[l]);
        s.Samples += batch;
        s.ZeroedSamples += stats.ZeroedCount;
        s.ClippedSamples += stats.ClippedCount;
        s.AbsDeltaSum += stats.AbsDeltaMean * batch;
        s.AbsDeltaMax = Math.Max(s.AbsDeltaMax, stats.AbsDeltaMax);
        ReadOnlySpan<float> delta = _loss.LastDelta;
        ReadOnlySpan<float> qTaken = _loss.LastQTaken;
        float band = (float)_config.Loss.Delta;
        for (int i = 0; i < batch; i++)
        {
            s.QTakenSum += qTaken[i];
            if (_batch.Terminated[i] != 0f)
            {
                s.TerminalSamples++;
                s.TerminalQSum += qTaken[i];
                if (MathF.Abs(delta[i]) > band) s.TerminalOutOfBand++;
            }
        }
    }

    private void UpdateTarget()
    {
        double tau = _config.Dqn.Tau;
        if (tau >= 1.0) _target.CopyParametersFrom(_online);
        else _target.SoftUpdateFrom(_online, (float)tau);
    }

    // ---- numerical faults ---------------------------------------------------------------------

    private NumericalFaultException LossFault(ReadOnlySpan<float> q, int batch)
    {
        string last = _online.DenseLayers[^1].Name;
        if (!AllFinite(q[..(batch * _actionCount)])) return new(_step, _updates, "Q-value", $"the online network's output ({last})", _lastFiniteGradNorm);
        if (!AllFinite(_tdTargets.AsSpan(0, batch))) return new(_step, _updates, "TD target", "the target network's output", _lastFiniteGradNorm);
        return new(_step, _updates, "loss", $"loss '{DqnComponents.Name(_config.Loss.Type)}'", _lastFiniteGradNorm);
    }

    private NumericalFaultException GradientFault()
    {
        foreach (var layer in _online.DenseLayers)
        {
            if (!AllFinite(layer.WeightGrad)) return new(_step, _updates, "gradient", $"layer {layer.Name} (weight)", _lastFiniteGradNorm);
            if (!AllFinite(layer.BiasGrad)) return new(_step, _updates, "gradient", $"layer {layer.Name} (bias)", _lastFiniteGradNorm);
        }
        return new(_step, _updates, "gradient", "the network", _lastFiniteGradNorm);
    }

    private void CheckWeights()
    {
        foreach (var layer in _online.DenseLayers)
        {
            if (!AllFinite(layer.Weight)) throw new NumericalFaultException(_step, _updates, "weight", $"layer {layer.Name} (weight)", _lastFiniteGradNorm);
            if (!AllFinite(layer.Bias)) throw new NumericalFaultException(_step, _updates, "weight", $"layer {layer.Name} (bias)", _lastFiniteGradNorm);
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values) => float.IsFinite(TensorPrimitives.Sum(values)) || AllFiniteSlow(values);

    // A finite set can overflow its sum to infinity; only then look element by element.
    private static bool AllFiniteSlow(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) return false;
        }
        return true;
    }

    // ---- evaluation ---------------------------------------------------------------------------

    private void Evaluate()
    {
        int episodes = _config.Training.EvalEpisodes;
        double sum = 0, sumSquares = 0, min = double.PositiveInfinity, max = double.NegativeInfinity, lengths = 0;
        Span<float> observation = stackalloc float[_observationSize];
        for (int e = 0; e < episodes; e++)
        {
            _evalEnv.Reset(Seeds.EvalEpisode(_seed, _evaluations, e)).CopyTo(observation);
            double episodeReturn = 0;
            int length = 0;
            while (true)
            {
                var result = _evalEnv.Step(GreedyAction(observation));
                episodeReturn += result.Reward;
                length++;
                if (result.Terminated || result.Truncated) break;
                result.Observation.CopyTo(observation);
            }
            sum += episodeReturn;
            sumSquares += episodeReturn * episodeReturn;
            min = Math.Min(min, episodeReturn);
            max = Math.Max(max, episodeReturn);
            lengths += length;
        }
        _evaluations++;
        double mean = sum / episodes;
        double std = Math.Sqrt(Math.Max(0, sumSquares / episodes - mean * mean));
        var evaluation = new EvaluationResult(mean, std, min, max, lengths / episodes, episodes);
        _lastEvaluation = evaluation;
        _evalLog!.Row(_step, evaluation);
        _progress.LastEvalReturn = mean;
        UpdateSummary("running");
    }

    // ---- logging ------------------------------------------------------------------------------

    public static IReadOnlyList<string> ProgressColumns(Mlp network, TrainingInstruments? instruments = null)
    {
        var columns = new List<string>
        {
            "steps", "updates", "episodes", "epsilon", "loss", "mean_q", "td_error_mean", "td_error_max",
            "zeroed_share", "clipped_share", "terminal_share", "terminal_out_of_band_share", "mean_q_terminal",
            "grad_norm",
        };
        foreach (var layer in network.DenseLayers) columns.Add("grad_norm_" + layer.Name);
        columns.Add("last100_return");
        columns.Add("sps");
        columns.Add("time_elapsed");
        if (instruments is not null) columns.AddRange(instruments.Columns);
        return columns;
    }

    private void WriteProgressRow(double epsilon)
    {
        CheckWeights();
        var s = _interval;
        double seconds = ElapsedSeconds();
        double sps = (_step - _intervalStartStep) / Math.Max(seconds - _intervalStartSeconds, 1e-9);
        Span<double> row = _progressRow;
        int c = 0;
        row[c++] = _step;
        row[c++] = _updates;
        row[c++] = _episodes;
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
        foreach (double layerSum in s.LayerGradNormSums) row[c++] = s.Mean(layerSum, s.Updates);
        row[c++] = _last100.Mean();
        row[c++] = Math.Round(sps, 1);
        row[c++] = Math.Round(seconds, 3);
        _instruments?.WriteRow(row[c..], _step);
        _progressLog!.Row(row);
        _progress.Loss = row[4];
        s.Reset();
        _intervalStartStep = _step;
        _intervalStartSeconds = seconds;
    }

    private void PublishProgress(double epsilon)
    {
        _progress.Steps = _step;
        _progress.Episodes = _episodes;
        _progress.Updates = _updates;
        _progress.Epsilon = epsilon;
        _progress.Last100Return = _last100.Mean();
        double seconds = ElapsedSeconds() - _previousWallSeconds;
        _progress.StepsPerSecond = seconds > 0 ? (_step - _resumedStep) / seconds : 0;
    }

    private long _resumedStep;

    private double ElapsedSeconds() => _previousWallSeconds + _wall.Elapsed.TotalSeconds;

    private void UpdateSummary(string status)
    {
        double seconds = ElapsedSeconds();
        double thisSession = _wall.Elapsed.TotalSeconds;
        _summary.Status = status;
        _summary.StepsDone = _step;
        _summary.Episodes = _episodes;
        _summary.Updates = _updates;
        _summary.FinalEvalReturnMean = _lastEvaluation?.ReturnMean;
        _summary.FinalEvalReturnStd = _lastEvaluation?.ReturnStd;
        _summary.Last100TrainReturnMean = _last100.Count > 0 ? _last100.Mean() : null;
        _summary.WallSeconds = Math.Round(seconds, 3);
        _summary.StepsPerSecond = thisSession > 0 ? Math.Round((_step - _resumedStep) / thisSession, 1) : 0;
        long sessionUpdates = _updates - _resumedUpdates;
        _summary.UpdatesPerSecond = thisSession > 0 ? Math.Round(sessionUpdates / thisSession, 1) : 0;
        _summary.MicrosecondsPerUpdate = sessionUpdates > 0
            ? Math.Round(_updateTicks * 1e6 / Stopwatch.Frequency / sessionUpdates, 2) : null;
        _summary.Write(_folder);
    }

    private long _resumedUpdates;

    private void Finish(string status, string? failure)
    {
        _summary.Failure = failure;
        UpdateSummary(status);
        _progress.State = status;
        PublishProgress(_epsilon.At(_step));
    }

    // ---- start, checkpoint, resume ------------------------------------------------------------

    private void StartFresh()
    {
        _monitor = MonitorLog.Create(_folder, _config.EnvId, MonitorLog.UnixNow());
        _progressLog = ProgressLog.Create(_folder, _progressColumns);
        _evalLog = EvalLog.Create(_folder);
        InitSummary(null);
        BeginEpisode(0);
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

    private void SaveCheckpoint()
    {
        string path = Path.Combine(_folder, CheckpointFileName);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            TrainingCheckpoint.WriteHeader(writer, TrainingCheckpoint.Fingerprint(_config), _seed);
            writer.Write(_step);
            writer.Write(_updates);
            writer.Write(_episodes);
            writer.Write(_evaluations);
            writer.Write(_episodeSeed);
            writer.Write(_episodeLength);
            for (int i = 0; i < _episodeLength; i++) writer.Write(_episodeActions[i]);
            writer.Write(_episodeReturn);
            writer.Write(ElapsedSeconds());
            writer.Write(_lastFiniteGradNorm);
            writer.Write(_lastEvaluation.HasValue);
            if (_lastEvaluation is { } e)
            {
                writer.Write(e.ReturnMean); writer.Write(e.ReturnStd); writer.Write(e.ReturnMin);
                writer.Write(e.ReturnMax); writer.Write(e.LengthMean); writer.Write(e.Episodes);
            }
            writer.Write(_monitor!.Length);
            writer.Write(_progressLog!.Length);
            writer.Write(_evalLog!.Length);
            _last100.Save(writer);
            _interval.Save(writer);
            _rng.Save(writer);
            _online.Save(writer);
            _target.Save(writer);
            _optimizer.Save(writer);
            _buffer.Save(writer);
            _instruments?.Save(writer);
            TrainingCheckpoint.WriteTrailer(writer);
        });
    }

    private void RestoreFromCheckpoint()
    {
        string path = Path.Combine(_folder, CheckpointFileName);
        try
        {
            RestoreFrom(path);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException && e is not FileNotFoundException)
        {
            throw new CheckpointException($"{path}: cannot resume from this checkpoint: {e.Message}");
        }
    }

    private void RestoreFrom(string path)
    {
        using var stream = TrainingCheckpoint.Open(path);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        TrainingCheckpoint.ReadHeader(reader, path, TrainingCheckpoint.Fingerprint(_config), _seed);
        _step = reader.ReadInt64();
        _updates = reader.ReadInt64();
        _episodes = reader.ReadInt64();
        _evaluations = reader.ReadInt64();
        if (_step < 0 || _step > _config.Training.TotalSteps || _updates < 0 || _episodes < 0 || _evaluations < 0)
            throw new InvalidDataException($"{path}: counters out of range (step {_step}, updates {_updates}, episodes {_episodes}).");
        int episodeSeed = reader.ReadInt32();
        int episodeLength = reader.ReadInt32();
        if (episodeLength < 0 || episodeLength > _step || (long)episodeLength * 4 > stream.Length)
            throw new InvalidDataException($"{path}: episode length {episodeLength} is impossible at step {_step}.");
        var actions = new int[Math.Max(1024, episodeLength)];
        for (int i = 0; i < episodeLength; i++) actions[i] = reader.ReadInt32();
        double episodeReturn = reader.ReadDouble();
        _previousWallSeconds = reader.ReadDouble();
        _lastFiniteGradNorm = reader.ReadDouble();
        if (reader.ReadBoolean())
        {
            _lastEvaluation = new EvaluationResult(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(),
                                                   reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt32());
        }
        long monitorLength = reader.ReadInt64();
        long progressLength = reader.ReadInt64();
        long evalLength = reader.ReadInt64();
        _last100.Load(reader);
        _interval.Load(reader);
        _rng.Load(reader);
        _online.Load(reader);
        _target.Load(reader);
        _optimizer.Load(reader);
        _buffer.Load(reader);
        _instruments?.Load(reader);
        TrainingCheckpoint.ReadTrailer(reader, path);

        // Cut the logs back to the checkpoint (a killed run may have written rows past it).
        _monitor = MonitorLog.ReopenAt(_folder, monitorLength);
        _progressLog = ProgressLog.ReopenAt(_folder, _progressColumns, progressLength);
        _evalLog = EvalLog.ReopenAt(_folder, evalLength);

        // Rebuild the interrupted episode: same reset seed, same actions.
        _episodeSeed = episodeSeed;
        _env.Reset(_episodeSeed).CopyTo(_observation);
        for (int i = 0; i < episodeLength; i++)
        {
            var result = _env.Step(actions[i]);
            if ((result.Terminated || result.Truncated) && i != episodeLength - 1)
                throw new InvalidDataException($"{path}: replaying the interrupted episode ended it early (step {i + 1} of {episodeLength}); the environment differs from the one that wrote the checkpoint.");
            result.Observation.CopyTo(_observation);
        }
        _episodeActions = actions;
        _episodeLength = episodeLength;
        _episodeReturn = episodeReturn;
        _resumedStep = _step;
        _resumedUpdates = _updates;
        InitSummary(_step);
        _log($"seed {_seed}: resumed at step {_step:N0} ({_episodes:N0} episodes, {_updates:N0} updates)");
    }

    private static IReadOnlyDictionary<string, object>? EnvKwargs(DqnConfig config) =>
        config.EnvKwargs.Count == 0 ? null : config.EnvKwargs.ToDictionary(kv => kv.Key, kv => (object)kv.Value);

    public void Dispose()
    {
        _monitor?.Dispose();
        _progressLog?.Dispose();
        _evalLog?.Dispose();
    }
}

public enum RunStatus
{
    Completed,
    Interrupted,
    Failed,
}
