using System.Diagnostics;
using System.Numerics.Tensors;
using DqnStudy.Agent.Config;
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

    private readonly GreedyPolicy _greedy;

    // Run state: a checkpoint saves exactly this (the record's counters, logs and statistics first; plus the acting state above).
    private readonly RunRecord _run;
    private readonly Rng _rng;
    private readonly double[] _dhNormSums;

    private readonly double[] _tensorSquares = new double[Tensors];
    private readonly double[] _progressRow;

    public DrqnTrainer(DqnConfig config, int seed, string runFolder, IBlas blas, TrainingProgress? progress = null,
                       Action<string>? log = null)
    {
        if (config.Network.Type is not (NetworkKind.Rnn or NetworkKind.Lstm))
            throw new ArgumentException($"network.type is {DqnComponents.Name(config.Network.Type)} but DrqnTrainer needs rnn or lstm.", nameof(config));
        _config = config;
        _seed = seed;
        _log = log ?? (_ => { });

        _env = new EpisodeStatistics(DqnComponents.CreateEnvironment(config));
        _evalEnv = DqnComponents.CreateEnvironment(config);
        _observationSize = _env.ObservationSpace.Size;
        _actionCount = _env.ActionSpace.N;

        var dqn = config.Dqn;
        _sequence = dqn.SequenceLength;
        _online = CreateNetwork(config, blas, _observationSize, _actionCount, seed);
        _target = _online.Clone(blas, Activation(config), (float)config.Network.LeakySlope);
        _cellOptimizer = DqnComponents.CreateOptimizer(config, _online.CellParameters.Length);
        _headOptimizer = DqnComponents.CreateOptimizer(config, _online.Head.Parameters.Count);
        _loss = new SequenceLoss(DqnComponents.CreateLoss(config), _sequence * dqn.BatchSize, _actionCount);
        _epsilon = EpsilonSchedule.For(config);
        _buffer = new SequenceReplayBuffer(dqn.BufferSize, _observationSize);
        _batch = new SequenceBatch(dqn.BatchSize, _sequence, _observationSize);
        _tdTargets = new float[_sequence * dqn.BatchSize];
        _nextActions = new int[_sequence * dqn.BatchSize];
        _dq = new float[_sequence * dqn.BatchSize * _actionCount];
        _state = new float[_online.StateSize];
        _evalState = new float[_online.StateSize];
        _observation = new float[_observationSize];
        _nextObservation = new float[_observationSize];

        _greedy = GreedyEvalAction;

        _rng = new Rng(Seeds.Agent(seed));
        _dhNormSums = new double[_sequence + 1];
        var progressColumns = ProgressColumns(_sequence);
        _progressRow = new double[progressColumns.Count];
        _run = new RunRecord(config, seed, runFolder, blas, progress ?? new TrainingProgress(seed, config.Training.TotalSteps),
                             _log, progressColumns, Tensors);
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
    public long Step => _run.Step;
    public long Updates => _run.Updates;

    /// <summary>Trains to total_steps (or until `stop` fires: then saves a checkpoint and returns Interrupted).</summary>
    public RunStatus Run(CancellationToken stop, bool resume = false)
    {
        long total = _config.Training.TotalSteps;
        if (resume) _run.RestoreCheckpoint(_env, _observation, ReadCheckpoint);
        else StartFresh();
        _run.StartClock();
        var dqn = _config.Dqn;
        var training = _config.Training;

        try
        {
            while (_run.Step < total)
            {
                if (stop.IsCancellationRequested || _run.Step == StopAtStep)
                {
                    SaveCheckpoint();
                    _run.Finish("interrupted", null, _epsilon.At(_run.Step));
                    return RunStatus.Interrupted;
                }

                // The net runs on every step, even when ε picks the action: the hidden state must see every observation.
                double epsilon = _epsilon.At(_run.Step);
                int greedy = Greedy.ArgMax(_online.Act(_observation, _state));
                int action = _rng.NextDouble() < epsilon ? _rng.NextInt(_actionCount) : greedy;

                var result = _env.Step(action);
                result.Observation.CopyTo(_nextObservation);
                _buffer.Add(_observation, _nextObservation, action, (float)result.Reward, result.Terminated, result.Truncated, _run.Episodes);
                _run.StepTaken(action, result.Reward);
                long step = _run.Step;

                if (result.Terminated || result.Truncated)
                {
                    _run.EndEpisode();
                    BeginEpisode();
                }
                else (_observation, _nextObservation) = (_nextObservation, _observation);

                if (step > dqn.LearningStarts)
                {
                    if (step % dqn.TrainFreq == 0)
                    {
                        long start = Stopwatch.GetTimestamp();
                        for (int g = 0; g < dqn.GradientSteps; g++) Update();
                        _run.UpdateTicks += Stopwatch.GetTimestamp() - start;
                    }
                    if (step % dqn.TargetUpdateInterval == 0) UpdateTarget();
                }

                if ((step & 255) == 0) _run.PublishProgress(epsilon);
                if (step % training.LogInterval == 0) WriteProgressRow(epsilon);
                if (training.EvalInterval > 0 && step % training.EvalInterval == 0) Evaluate();
                if (training.CheckpointInterval > 0 && step % training.CheckpointInterval == 0 && step < total) SaveCheckpoint();
            }

            if (training.EvalEpisodes > 0 && (training.EvalInterval == 0 || total % training.EvalInterval != 0)) Evaluate();
            SaveCheckpoint();
            _run.Finish("completed", null, _epsilon.At(_run.Step));
            return RunStatus.Completed;
        }
        catch (NumericalFaultException fault)
        {
            _log($"seed {_seed}: {fault.Message}");
            _run.Finish("failed", fault.Message, _epsilon.At(_run.Step));
            return RunStatus.Failed;
        }
    }

    // ---- acting -------------------------------------------------------------------------------

    private void StartFresh()
    {
        _run.StartFresh();
        BeginEpisode();
    }

    private void BeginEpisode()
    {
        _env.Reset(_run.BeginEpisode()).CopyTo(_observation);
        Array.Clear(_state);
    }

    // Evaluation carries its own hidden state, zeroed at every reset, so it never disturbs the acting state.
    private int GreedyEvalAction(ReadOnlySpan<float> observation, bool episodeStart)
    {
        if (episodeStart) Array.Clear(_evalState);
        return Greedy.ArgMax(_online.Act(observation, _evalState));
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
        _run.LastFiniteGradNorm = gradNorm;
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
        _run.Updates++;
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
        _run.Interval.AddUpdate(_loss.Inner, loss, gradNorm, _tensorSquares, _loss.ValidTerminated, _loss.ValidCount, (float)_config.Loss.Delta);
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
        if (!Finite.All(q[..(rows * _actionCount)])) return _run.Fault("Q-value", $"the online {CellName} network's output");
        if (!Finite.All(_tdTargets.AsSpan(0, rows))) return _run.Fault("TD target", "the target network's output");
        return _run.Fault("loss", $"loss '{DqnComponents.Name(_config.Loss.Type)}'");
    }

    private NumericalFaultException GradientFault()
    {
        foreach (var (name, where, values) in NamedTensors(gradients: true))
        {
            if (!Finite.All(values.Span)) return _run.Fault(name + " gradient", where);
        }
        return _run.Fault("gradient", "the network");
    }

    private void CheckWeights()
    {
        foreach (var (name, where, values) in NamedTensors(gradients: false))
        {
            if (!Finite.All(values.Span)) throw _run.Fault(name + " weight", where);
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

    // ---- evaluation and logging ---------------------------------------------------------------

    private void Evaluate()
    {
        Span<float> observation = stackalloc float[_observationSize];
        _run.Evaluated(GreedyEvaluation.Run(_evalEnv, _greedy, observation, _seed, _run.Evaluations, _config.Training.EvalEpisodes));
    }

    /// <summary>DqnTrainer's base columns, then per-tensor gradient norms, dh_norm_t0..t{T} (entry 0: the initial
    /// state; entry t: the state after t inputs; interval means of ||dL/dh|| over the batch), and W_hh's spectral
    /// radius and norm at the row's step.</summary>
    public static IReadOnlyList<string> ProgressColumns(int sequenceLength)
    {
        var columns = new List<string> { "grad_norm_w_ih", "grad_norm_w_hh", "grad_norm_bias", "grad_norm_head" };
        for (int t = 0; t <= sequenceLength; t++) columns.Add("dh_norm_t" + t);
        columns.Add("spectral_radius_w_hh");
        columns.Add("spectral_norm_w_hh");
        return RunRecord.ProgressColumns(columns);
    }

    private void WriteProgressRow(double epsilon)
    {
        CheckWeights();
        var s = _run.Interval;
        Span<double> row = _progressRow;
        int c = _run.WriteRowHead(row, epsilon);
        foreach (double tensorSum in s.LayerGradNormSums) row[c++] = s.Mean(tensorSum, s.Updates);
        foreach (double dhSum in _dhNormSums) row[c++] = s.Mean(dhSum, s.Updates);
        var (radius, norm) = _online.SpectralProbes();
        row[c++] = radius;
        row[c++] = norm;
        _run.WriteRowTail(row, c);
        _run.AppendProgressRow(row);
        Array.Clear(_dhNormSums);
    }

    // ---- checkpoint: after the record's part, the learner's --------------------------------------

    private void SaveCheckpoint() => _run.SaveCheckpoint(writer =>
    {
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
    });

    private void ReadCheckpoint(BinaryReader reader, string path)
    {
        int dh = reader.ReadInt32();
        if (dh != _dhNormSums.Length) throw new InvalidDataException($"{path}: {dh} hidden-gradient sums but the sequence needs {_dhNormSums.Length}.");
        for (int i = 0; i < dh; i++) _dhNormSums[i] = reader.ReadDouble();
        int stateSize = reader.ReadInt32();
        if (stateSize != _state.Length) throw new InvalidDataException($"{path}: recurrent state of {stateSize} floats but the network has {_state.Length}.");
        for (int i = 0; i < stateSize; i++) _state[i] = reader.ReadSingle();
        _rng.Load(reader);
        _online.Load(reader);
        _target.Load(reader);
        _cellOptimizer.Load(reader);
        _headOptimizer.Load(reader);
        _buffer.Load(reader);
    }

    public void Dispose() => _run.Dispose();
}
