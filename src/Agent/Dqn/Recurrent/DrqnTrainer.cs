using System.Diagnostics;
using System.Numerics.Tensors;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Logging;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Agent.Dqn.Recurrent;

/// <summary>
/// DRQN for one seed (Hausknecht and Stone 2015), the recurrent twin of <see cref="DqnTrainer"/> with the same loop,
/// logs, evaluation, checkpoints and fault handling. Choices:
/// - Acting carries the hidden state step to step (zeroed at every reset), so the net runs on every step, ε or not.
/// - Replay is "bootstrapped random updates": sequences of sequence_length consecutive steps from one episode,
///   unrolled from a zero state for both the online and the target net (<see cref="SequenceReplayBuffer"/> says how
///   starts are drawn; an episode shorter than the sequence is padded and masked out of the loss).
/// - The target net unrolls over o_0..o_{T−1} plus the last next-observation (T+1 steps), so Q_target(o_{t+1})
///   has seen the same history; bootstrap on truncation, not on termination.
/// - Loss: the configured TD loss, mean over every valid step of every sequence; BPTT through the whole sequence;
///   global-norm clipping per max_grad_norm across cell and head (0 = off: the exploding case).
/// - Two optimisers, one per parameter block (cell, head); every shipped optimiser is element-wise, so this is the
///   same as one optimiser over both.
/// </summary>
public sealed class DrqnTrainer : IDisposable
{
    private const int Tensors = 4;   // w_ih, w_hh, bias (b_ih + b_hh), head

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
    private readonly int _sequence;

    private readonly RecurrentQNetwork _online;
    private readonly RecurrentQNetwork _target;
    private readonly IOptimizer _cellOptimizer;
    private readonly IOptimizer _headOptimizer;
    private readonly SequenceLoss _loss;
    private readonly EpsilonSchedule _epsilon;
    private readonly SequenceReplayBuffer _buffer;
    private readonly SequenceBatch _batch;
    private readonly float[] _tdTargets;   // (T, B)
    private readonly int[] _nextActions;   // (T, B)
    private readonly float[] _dq;          // (T, B, A)
    private readonly float[] _state;       // acting: h (and c)
    private readonly float[] _evalState;
    private float[] _observation;
    private float[] _nextObservation;

    // Run state: a checkpoint saves exactly this (plus the acting state above).
    private readonly Rng _rng;
    private readonly IntervalStats _interval;
    private readonly double[] _dhNormSums;
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

    private readonly double[] _tensorSquares = new double[Tensors];
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
    private long _resumedStep;
    private long _resumedUpdates;

    public DrqnTrainer(DqnConfig config, int seed, string runFolder, IBlas blas, TrainingProgress? progress = null,
                       Action<string>? log = null)
    {
        if (config.Network.Type is not (NetworkKind.Rnn or NetworkKind.Lstm))
            throw new ArgumentException($"network.type is {DqnComponents.Name(config.Network.Type)} but DrqnTrainer needs rnn or lstm.", nameof(config));
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
        _sequence = dqn.SequenceLength;
        _online = CreateNetwork(config, blas, _observationSize, _actionCount, seed);
        _target = _online.Clone(blas, Activation(config), (float)config.Network.LeakySlope);
        _cellOptimizer = DqnComponents.CreateOptimizer(config, _online.CellParameters.Length);
        _headOptimizer = DqnComponents.CreateOptimizer(config, _online.Head.Parameters.Count);
        _loss = new SequenceLoss(DqnComponents.CreateLoss(config), _sequence * dqn.BatchSize, _actionCount);
        _epsilon = new EpsilonSchedule(dqn.ExplorationInitialEps, dqn.ExplorationFinalEps,
                                       (long)(dqn.ExplorationFraction * config.Training.TotalSteps));
        _buffer = new SequenceReplayBuffer(dqn.BufferSize, _observationSize);
        _batch = new SequenceBatch(dqn.BatchSize, _sequence, _observationSize);
        _tdTargets = new float[_sequence * dqn.BatchSize];
        _nextActions = new int[_sequence * dqn.BatchSize];
        _dq = new float[_sequence * dqn.BatchSize * _actionCount];
        _state = new float[_online.StateSize];
        _evalState = new float[_online.StateSize];
        _observation = new float[_observationSize];
        _nextObservation = new float[_observationSize];

        _rng = new Rng(Seeds.Agent(seed));
        _interval = new IntervalStats(Tensors);
        _dhNormSums = new double[_sequence + 1];
        _progressColumns = ProgressColumns(_sequence);
        _progressRow = new double[_progressColumns.Count];
    }

    /// <summary>The configured DRQN net: maxSteps T+1 (the target unroll), maxBatch batch_size.</summary>
    public static RecurrentQNetwork CreateNetwork(DqnConfig config, IBlas blas, int observationSize, int actions, int seed)
    {
        var sizes = config.Network.HiddenSizes;
        var network = new RecurrentQNetwork(blas, config.Network.Type, observationSize, sizes[0], [.. sizes.Skip(1)], actions,
                                            Activation(config), (float)config.Network.LeakySlope,
                                            config.Dqn.SequenceLength + 1, config.Dqn.BatchSize);
        network.Initialize(config.Network, new Random(seed));
        return network;
    }

    private static Activation Activation(DqnConfig config) => DqnComponents.ToActivation(config.Network.Activation);

    /// <summary>Behave as if interrupted when this step is reached (tests of interrupt-and-resume).</summary>
    internal long? StopAtStep { get; init; }

    /// <summary>Runs right after each backward pass (tests inject faults into gradients here).</summary>
    internal Action<RecurrentQNetwork>? AfterBackward { get; init; }
    public RecurrentQNetwork OnlineNetwork => _online;
    public RecurrentQNetwork TargetNetwork => _target;
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

                // The net runs on every step, even when ε picks the action: the hidden state must see every observation.
                double epsilon = _epsilon.At(_step);
                int greedy = Greedy.ArgMax(_online.Act(_observation, _state));
                int action = _rng.NextDouble() < epsilon ? _rng.NextInt(_actionCount) : greedy;

                var result = _env.Step(action);
                result.Observation.CopyTo(_nextObservation);
                _buffer.Add(_observation, _nextObservation, action, (float)result.Reward, result.Terminated, result.Truncated, _episodes);
                RememberAction(action);
                _episodeReturn += result.Reward;
                _step++;

                if (result.Terminated || result.Truncated) EndEpisode();
                else (_observation, _nextObservation) = (_nextObservation, _observation);

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

            if (_config.Training.EvalInterval == 0 || total % _config.Training.EvalInterval != 0) Evaluate();
            SaveCheckpoint();
            Finish("completed", null);
            return RunStatus.Completed;
        }
        catch (NumericalFaultException fault)
        {
            _log($"seed {_seed}: {fault.Message}");
            Finish("failed", fault.Message);
            return RunStatus.Failed;
        }
    }

    // ---- acting -------------------------------------------------------------------------------

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
        Array.Clear(_state);
        _episodeLength = 0;
        _episodeReturn = 0;
    }

    // ---- learning -----------------------------------------------------------------------------

    private void Update()
    {
        var dqn = _config.Dqn;
        int batch = dqn.BatchSize, steps = _sequence, rows = steps * batch;
        _buffer.Sample(_rng, _batch, batch);

        if (dqn.DoubleDqn)
        {
            ReadOnlySpan<float> qOnline = _online.Forward(_batch.TargetInputs.AsSpan(0, (steps + 1) * batch * _observationSize), steps + 1, batch);
            SequenceTdTargets.GreedyNextActions(qOnline, _nextActions, steps, batch, _actionCount);
        }
        ReadOnlySpan<float> qNext = _target.Forward(_batch.TargetInputs.AsSpan(0, (steps + 1) * batch * _observationSize), steps + 1, batch);
        SequenceTdTargets.Compute(qNext, dqn.DoubleDqn ? _nextActions : default, _batch, (float)dqn.Gamma, _tdTargets, steps, batch, _actionCount);

        _online.ZeroGrad();
        ReadOnlySpan<float> q = _online.Forward(_batch.Observations.AsSpan(0, rows * _observationSize), steps, batch);
        float loss = _loss.Compute(q, _batch, _tdTargets, _dq, steps, batch);
        if (!float.IsFinite(loss)) throw LossFault(q, rows);
        _online.Backward(_dq, steps, batch);
        AfterBackward?.Invoke(_online);

        double gradNorm = MeasureGradients();
        if (!double.IsFinite(gradNorm)) throw GradientFault();
        _lastFiniteGradNorm = gradNorm;
        Span<float> cellGradients = _online.CellGradients, headGradients = _online.Head.Parameters.Gradients;
        if (_config.MaxGradNorm > 0)
        {
            // clip_grad_norm_ over both blocks at once: one coefficient from the global norm.
            double coefficient = _config.MaxGradNorm / (gradNorm + 1e-6);
            if (coefficient < 1.0)
            {
                TensorPrimitives.Multiply(cellGradients, (float)coefficient, cellGradients);
                TensorPrimitives.Multiply(headGradients, (float)coefficient, headGradients);
            }
        }
        if (_config.ClipGradValue > 0)
        {
            GradientClipping.ClipByValue(cellGradients, (float)_config.ClipGradValue);
            GradientClipping.ClipByValue(headGradients, (float)_config.ClipGradValue);
        }
        _cellOptimizer.Step(_online.CellParameters, cellGradients);
        _headOptimizer.Step(_online.Head.Parameters.Values, headGradients);
        _updates++;
        Accumulate(loss, gradNorm);
    }

    /// <summary>Squared norms of w_ih, w_hh, the recurrent biases and the head into _tensorSquares; returns the global norm.</summary>
    private double MeasureGradients()
    {
        _tensorSquares[0] = SumOfSquares(_online.WeightIhGrad);
        _tensorSquares[1] = SumOfSquares(_online.WeightHhGrad);
        _tensorSquares[2] = SumOfSquares(_online.BiasIhGrad) + SumOfSquares(_online.BiasHhGrad);
        _tensorSquares[3] = SumOfSquares(_online.Head.Parameters.Gradients);
        double total = 0;
        foreach (double s in _tensorSquares) total += s;
        return Math.Sqrt(total);
    }

    // In double: an exploding RNN gradient overflows a float sum of squares long before the weights are lost.
    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return sum;
    }

    private void Accumulate(float loss, double gradNorm)
    {
        var s = _interval;
        var stats = _loss.Inner.LastStats;
        int valid = _loss.ValidCount;
        s.Updates++;
        s.LossSum += loss;
        s.GradNormSum += gradNorm;
        for (int l = 0; l < Tensors; l++) s.LayerGradNormSums[l] += Math.Sqrt(_tensorSquares[l]);
        s.Samples += valid;
        s.ZeroedSamples += stats.ZeroedCount;
        s.ClippedSamples += stats.ClippedCount;
        s.AbsDeltaSum += stats.AbsDeltaMean * valid;
        s.AbsDeltaMax = Math.Max(s.AbsDeltaMax, stats.AbsDeltaMax);
        ReadOnlySpan<float> delta = _loss.Inner.LastDelta;
        ReadOnlySpan<float> qTaken = _loss.Inner.LastQTaken;
        ReadOnlySpan<float> terminated = _loss.ValidTerminated;
        float band = (float)_config.Loss.Delta;
        for (int i = 0; i < valid; i++)
        {
            s.QTakenSum += qTaken[i];
            if (terminated[i] != 0f)
            {
                s.TerminalSamples++;
                s.TerminalQSum += qTaken[i];
                if (MathF.Abs(delta[i]) > band) s.TerminalOutOfBand++;
            }
        }
        ReadOnlySpan<float> dhNorms = _online.HiddenGradientNorms;
        for (int t = 0; t < dhNorms.Length; t++) _dhNormSums[t] += dhNorms[t];
    }

    private void UpdateTarget()
    {
        double tau = _config.Dqn.Tau;
        if (tau >= 1.0) _target.CopyParametersFrom(_online);
        else _target.SoftUpdateFrom(_online, (float)tau);
    }

    // ---- numerical faults ---------------------------------------------------------------------

    private string CellName => DqnComponents.Name(_config.Network.Type);

    private NumericalFaultException LossFault(ReadOnlySpan<float> q, int rows)
    {
        if (!AllFinite(q[..(rows * _actionCount)])) return new(_step, _updates, "Q-value", $"the online {CellName} network's output", _lastFiniteGradNorm);
        if (!AllFinite(_tdTargets.AsSpan(0, rows))) return new(_step, _updates, "TD target", "the target network's output", _lastFiniteGradNorm);
        return new(_step, _updates, "loss", $"loss '{DqnComponents.Name(_config.Loss.Type)}'", _lastFiniteGradNorm);
    }

    private NumericalFaultException GradientFault()
    {
        foreach (var (name, where, values) in NamedTensors(gradients: true))
        {
            if (!AllFinite(values.Span)) return new(_step, _updates, name + " gradient", where, _lastFiniteGradNorm);
        }
        return new(_step, _updates, "gradient", "the network", _lastFiniteGradNorm);
    }

    private void CheckWeights()
    {
        foreach (var (name, where, values) in NamedTensors(gradients: false))
        {
            if (!AllFinite(values.Span)) throw new NumericalFaultException(_step, _updates, name + " weight", where, _lastFiniteGradNorm);
        }
    }

    // Allocates a little: only on a fault or at a log row.
    private IEnumerable<(string Name, string Where, Memory<float> Values)> NamedTensors(bool gradients)
    {
        string cell = $"the {CellName} cell";
        float[] cellBlock = gradients ? _online.CellGradients.ToArray() : _online.CellParameters.ToArray();
        int wIh = _online.WeightIh.Length, wHh = _online.WeightHh.Length, bias = (cellBlock.Length - wIh - wHh) / 2;
        yield return ("w_ih", cell, cellBlock.AsMemory(0, wIh));
        yield return ("w_hh", cell, cellBlock.AsMemory(wIh, wHh));
        yield return ("b_ih", cell, cellBlock.AsMemory(wIh + wHh, bias));
        yield return ("b_hh", cell, cellBlock.AsMemory(wIh + wHh + bias, bias));
        foreach (var layer in _online.Head.DenseLayers)
        {
            float[] w = gradients ? layer.WeightGrad.ToArray() : layer.Weight.ToArray();
            float[] b = gradients ? layer.BiasGrad.ToArray() : layer.Bias.ToArray();
            yield return ("head " + layer.Name + ".weight", "the Q head", w);
            yield return ("head " + layer.Name + ".bias", "the Q head", b);
        }
    }

    private static bool AllFinite(ReadOnlySpan<float> values) => float.IsFinite(TensorPrimitives.Sum(values)) || AllFiniteSlow(values);

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
            Array.Clear(_evalState);
            double episodeReturn = 0;
            int length = 0;
            while (true)
            {
                var result = _evalEnv.Step(Greedy.ArgMax(_online.Act(observation, _evalState)));
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

    /// <summary>DqnTrainer's base columns, then per-tensor gradient norms, dh_norm_t0..t{T} (entry 0: the initial
    /// state; entry t: the state after t inputs; interval means of ||dL/dh|| over the batch), and W_hh's spectral
    /// radius and norm at the row's step.</summary>
    public static IReadOnlyList<string> ProgressColumns(int sequenceLength)
    {
        var columns = new List<string>
        {
            "steps", "updates", "episodes", "epsilon", "loss", "mean_q", "td_error_mean", "td_error_max",
            "zeroed_share", "clipped_share", "terminal_share", "terminal_out_of_band_share", "mean_q_terminal",
            "grad_norm", "grad_norm_w_ih", "grad_norm_w_hh", "grad_norm_bias", "grad_norm_head",
        };
        for (int t = 0; t <= sequenceLength; t++) columns.Add("dh_norm_t" + t);
        columns.Add("spectral_radius_w_hh");
        columns.Add("spectral_norm_w_hh");
        columns.Add("last100_return");
        columns.Add("sps");
        columns.Add("time_elapsed");
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
        foreach (double tensorSum in s.LayerGradNormSums) row[c++] = s.Mean(tensorSum, s.Updates);
        foreach (double dhSum in _dhNormSums) row[c++] = s.Mean(dhSum, s.Updates);
        var (radius, norm) = _online.SpectralProbes();
        row[c++] = radius;
        row[c++] = norm;
        row[c++] = _last100.Mean();
        row[c++] = Math.Round(sps, 1);
        row[c++] = Math.Round(seconds, 3);
        _progressLog!.Row(row);
        _progress.Loss = row[4];
        s.Reset();
        Array.Clear(_dhNormSums);
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
        string path = Path.Combine(_folder, DqnTrainer.CheckpointFileName);
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
            writer.Write(_dhNormSums.Length);
            foreach (double v in _dhNormSums) writer.Write(v);
            // The acting state: it was built under weights that have changed since, so replay cannot rebuild it.
            writer.Write(_state.Length);
            foreach (float v in _state) writer.Write(v);
            _rng.Save(writer);
            _online.Save(writer);
            _target.Save(writer);
            _cellOptimizer.Save(writer);
            _headOptimizer.Save(writer);
            _buffer.Save(writer);
            TrainingCheckpoint.WriteTrailer(writer);
        });
    }

    private void RestoreFromCheckpoint()
    {
        string path = Path.Combine(_folder, DqnTrainer.CheckpointFileName);
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
        int dh = reader.ReadInt32();
        if (dh != _dhNormSums.Length) throw new InvalidDataException($"{path}: {dh} hidden-gradient sums but the sequence needs {_dhNormSums.Length}.");
        for (int i = 0; i < dh; i++) _dhNormSums[i] = reader.ReadDouble();
        int stateSize = reader.ReadInt32();
        if (stateSize != _state.Length) throw new InvalidDataException($"{path}: recurrent state of {stateSize} floats but the network has {_state.Length}.");
        var state = new float[stateSize];
        for (int i = 0; i < stateSize; i++) state[i] = reader.ReadSingle();
        _rng.Load(reader);
        _online.Load(reader);
        _target.Load(reader);
        _cellOptimizer.Load(reader);
        _headOptimizer.Load(reader);
        _buffer.Load(reader);
        TrainingCheckpoint.ReadTrailer(reader, path);

        _monitor = MonitorLog.ReopenAt(_folder, monitorLength);
        _progressLog = ProgressLog.ReopenAt(_folder, _progressColumns, progressLength);
        _evalLog = EvalLog.ReopenAt(_folder, evalLength);

        // Rebuild the interrupted episode's environment: same reset seed, same actions; the hidden state comes from the file.
        _episodeSeed = episodeSeed;
        _env.Reset(_episodeSeed).CopyTo(_observation);
        for (int i = 0; i < episodeLength; i++)
        {
            var result = _env.Step(actions[i]);
            if ((result.Terminated || result.Truncated) && i != episodeLength - 1)
                throw new InvalidDataException($"{path}: replaying the interrupted episode ended it early (step {i + 1} of {episodeLength}); the environment differs from the one that wrote the checkpoint.");
            result.Observation.CopyTo(_observation);
        }
        state.CopyTo(_state, 0);
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
