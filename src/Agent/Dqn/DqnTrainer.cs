using System.Diagnostics;
using System.Numerics.Tensors;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Instruments;
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

    private readonly GreedyPolicy _greedy;

    // Run state: a checkpoint saves exactly this (the record's counters, logs and statistics first).
    private readonly RunRecord _run;
    private readonly Rng _rng;
    private readonly double[] _layerSquares;
    private readonly double[] _progressRow;

    public DqnTrainer(DqnConfig config, int seed, string runFolder, IBlas blas, TrainingProgress? progress = null,
                      Action<string>? log = null)
    {
        _config = config;
        _seed = seed;
        _log = log ?? (_ => { });

        _env = new EpisodeStatistics(DqnComponents.CreateEnvironment(config));
        _evalEnv = DqnComponents.CreateEnvironment(config);
        _observationSize = _env.ObservationSpace.Size;
        _actionCount = _env.ActionSpace.N;

        var dqn = config.Dqn;
        _online = DqnComponents.CreateNetwork(config, blas, _env.ObservationSpace.Shape, _actionCount, dqn.BatchSize, seed);
        _target = _online.Clone();
        _optimizer = DqnComponents.CreateOptimizer(config, _online.Parameters.Count);
        _loss = new DqnLoss(DqnComponents.CreateLoss(config), dqn.BatchSize, _actionCount);
        _epsilon = EpsilonSchedule.For(config);
        _buffer = new ReplayBuffer(dqn.BufferSize, _observationSize, packBits: dqn.ReplayObservations == ReplayStorage.Bits);
        _batch = new TransitionBatch(dqn.BatchSize, _observationSize);
        _tdTargets = new float[dqn.BatchSize];
        _nextActions = new int[dqn.BatchSize];
        _dq = new float[dqn.BatchSize * _actionCount];
        _observation = new float[_observationSize];
        _nextObservation = new float[_observationSize];
        _greedy = (observation, _) => GreedyAction(observation);

        _rng = new Rng(Seeds.Agent(seed));
        _layerSquares = new double[_online.WeightedLayers.Count];
        _instruments = config.Instruments.Enabled ? new TrainingInstruments(config.Instruments, _online, seed, _log) : null;
        var progressColumns = ProgressColumns(_online, _instruments);
        _progressRow = new double[progressColumns.Count];
        _run = new RunRecord(config, seed, runFolder, blas, progress ?? new TrainingProgress(seed, config.Training.TotalSteps),
                             _log, progressColumns, _online.WeightedLayers.Count);
    }

    public const string CheckpointFileName = RunRecord.CheckpointFileName;

    /// <summary>Behave as if interrupted when this step is reached (tests of interrupt-and-resume).</summary>
    internal long? StopAtStep { get; init; }

    /// <summary>Runs right after each backward pass (tests inject faults into gradients here).</summary>
    internal Action<Mlp>? AfterBackward { get; init; }
    public Mlp OnlineNetwork => _online;
    public Mlp TargetNetwork => _target;
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

                // ε-greedy action on the current observation.
                double epsilon = _epsilon.At(_run.Step);
                int action = _rng.NextDouble() < epsilon ? _rng.NextInt(_actionCount) : GreedyAction(_observation);

                // Step, and store the true next observation (on truncation: the episode's final one).
                var result = _env.Step(action);
                result.Observation.CopyTo(_nextObservation);
                _buffer.Add(_observation, _nextObservation, action, (float)result.Reward, result.Terminated, result.Truncated);
                _run.StepTaken(action, result.Reward);
                long step = _run.Step;

                if (result.Terminated || result.Truncated)
                {
                    _run.EndEpisode();
                    BeginEpisode();
                }
                else
                {
                    (_observation, _nextObservation) = (_nextObservation, _observation);
                }

                // Learn.
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

            bool evaluationOn = training.EvalEpisodes > 0;
            if (evaluationOn && (training.EvalInterval == 0 || total % training.EvalInterval != 0)) Evaluate();
            SaveCheckpoint();
            _run.Finish("completed", null, _epsilon.At(_run.Step));
            return RunStatus.Completed;
        }
        catch (NumericalFaultException fault)
        {
            // Keep the last good checkpoint and the logs; do not save the poisoned state.
            _log($"seed {_seed}: {fault.Message}");
            _run.Finish("failed", fault.Message, _epsilon.At(_run.Step));
            return RunStatus.Failed;
        }
    }

    // ---- acting -------------------------------------------------------------------------------

    private int GreedyAction(ReadOnlySpan<float> observation) => Greedy.ArgMax(_online.Forward(observation, 1));

    private void StartFresh()
    {
        _run.StartFresh();
        BeginEpisode();
    }

    private void BeginEpisode() => _env.Reset(_run.BeginEpisode()).CopyTo(_observation);

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
        _run.LastFiniteGradNorm = gradNorm;
        var gradients = _online.Parameters.Gradients;
        if (_config.MaxGradNorm > 0) GradientClipping.ClipGlobalNorm(gradients, (float)_config.MaxGradNorm);
        if (_config.ClipGradValue > 0) GradientClipping.ClipByValue(gradients, (float)_config.ClipGradValue);
        _instruments?.BeforeOptimizerStep(_buffer);
        _optimizer.Step(_online.Parameters.Values, gradients);
        _instruments?.AfterOptimizerStep();
        _run.Updates++;
        _run.Interval.AddUpdate(_loss, loss, gradNorm, _layerSquares, _batch.Terminated, batch, (float)_config.Loss.Delta);
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
        var layers = _online.WeightedLayers;
        for (int l = 0; l < layers.Count; l++)
        {
            double squares = TensorPrimitives.SumOfSquares(layers[l].WeightGrad) + (double)TensorPrimitives.SumOfSquares(layers[l].BiasGrad);
            _layerSquares[l] = squares;
            total += squares;
        }
        return Math.Sqrt(total);
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
        if (!Finite.All(q[..(batch * _actionCount)])) return _run.Fault("Q-value", $"the online network's output ({last})");
        if (!Finite.All(_tdTargets.AsSpan(0, batch))) return _run.Fault("TD target", "the target network's output");
        return _run.Fault("loss", $"loss '{DqnComponents.Name(_config.Loss.Type)}'");
    }

    private NumericalFaultException GradientFault()
    {
        foreach (var layer in _online.WeightedLayers)
        {
            if (!Finite.All(layer.WeightGrad)) return _run.Fault("gradient", $"layer {layer.Name} (weight)");
            if (!Finite.All(layer.BiasGrad)) return _run.Fault("gradient", $"layer {layer.Name} (bias)");
        }
        return _run.Fault("gradient", "the network");
    }

    private void CheckWeights()
    {
        foreach (var layer in _online.WeightedLayers)
        {
            if (!Finite.All(layer.Weight)) throw _run.Fault("weight", $"layer {layer.Name} (weight)");
            if (!Finite.All(layer.Bias)) throw _run.Fault("weight", $"layer {layer.Name} (bias)");
        }
    }

    // ---- evaluation and logging ---------------------------------------------------------------

    private void Evaluate()
    {
        Span<float> observation = stackalloc float[_observationSize];
        _run.Evaluated(GreedyEvaluation.Run(_evalEnv, _greedy, observation, _seed, _run.Evaluations, _config.Training.EvalEpisodes));
    }

    public static IReadOnlyList<string> ProgressColumns(Mlp network, TrainingInstruments? instruments = null)
    {
        var columns = RunRecord.ProgressColumns(network.WeightedLayers.Select(layer => "grad_norm_" + layer.Name));
        if (instruments is not null) columns.AddRange(instruments.Columns);
        return columns;
    }

    private void WriteProgressRow(double epsilon)
    {
        CheckWeights();
        var s = _run.Interval;
        Span<double> row = _progressRow;
        int c = _run.WriteRowHead(row, epsilon);
        foreach (double layerSum in s.LayerGradNormSums) row[c++] = s.Mean(layerSum, s.Updates);
        c = _run.WriteRowTail(row, c);
        _instruments?.WriteRow(row[c..], _run.Step);
        _run.AppendProgressRow(row);
    }

    // ---- checkpoint: after the record's part, the learner's --------------------------------------

    private void SaveCheckpoint() => _run.SaveCheckpoint(writer =>
    {
        _rng.Save(writer);
        _online.Save(writer);
        _target.Save(writer);
        _optimizer.Save(writer);
        _buffer.Save(writer);
        _instruments?.Save(writer);
    });

    private void ReadCheckpoint(BinaryReader reader, string path)
    {
        _rng.Load(reader);
        _online.Load(reader);
        _target.Load(reader);
        _optimizer.Load(reader);
        _buffer.Load(reader);
        _instruments?.Load(reader);
    }

    public void Dispose() => _run.Dispose();
}

public enum RunStatus
{
    Completed,
    Interrupted,
    Failed,
}
