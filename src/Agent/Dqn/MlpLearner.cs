using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Seeding;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Instruments;
using DqnStudy.Nn;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// DQN's learner for a feed-forward Q-network (an <see cref="Mlp"/>, dense or with a convolution stem): one
/// transition per replay slot, the TD target from the target network (Double DQN optional), the configured loss,
/// per-layer gradient norms, clipping, the optimiser step and the optional instruments.
/// </summary>
public sealed class MlpLearner : IQLearner
{
    private readonly DqnConfig _config;
    private readonly int _actionCount;
    private readonly Mlp _online;
    private readonly Mlp _target;
    private readonly IOptimizer _optimizer;
    private readonly DqnLoss _loss;
    private readonly ReplayBuffer _buffer;
    private readonly TransitionBatch _batch;
    private readonly float[] _tdTargets;
    private readonly int[] _nextActions;
    private readonly float[] _dq;
    private readonly double[] _layerSquares;
    private readonly TrainingInstruments? _instruments;   // null unless instruments.enabled

    /// <param name="observationShape">The environment's observation shape: a conv network reads it as (C, H, W).</param>
    public MlpLearner(DqnConfig config, IBlas blas, IReadOnlyList<int> observationShape, int actionCount, int seed, Action<string> log)
    {
        _config = config;
        _actionCount = actionCount;
        var dqn = config.Algorithm;
        _online = DqnComponents.CreateNetwork(config, blas, observationShape, actionCount, dqn.BatchSize, seed);
        int observationSize = _online.InputSize;
        _target = _online.Clone();
        _optimizer = DqnComponents.CreateOptimizer(config, _online.Parameters.Count);
        _loss = new DqnLoss(DqnComponents.CreateLoss(config), dqn.BatchSize, actionCount);
        _buffer = new ReplayBuffer(dqn.BufferSize, observationSize, packBits: dqn.ReplayObservations == ReplayStorage.Bits);
        _batch = new TransitionBatch(dqn.BatchSize, observationSize);
        _tdTargets = new float[dqn.BatchSize];
        _nextActions = new int[dqn.BatchSize];
        _dq = new float[dqn.BatchSize * actionCount];
        _layerSquares = new double[_online.WeightedLayers.Count];
        _instruments = config.Instruments.Enabled ? new TrainingInstruments(config.Instruments, _online, seed, log) : null;
        Columns = GradientColumns(_online);
        TrailingColumns = _instruments?.Columns ?? [];
        EvaluationPolicy = (observation, _) => GreedyAction(observation);
    }

    public Mlp OnlineNetwork => _online;
    public Mlp TargetNetwork => _target;

    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<string> TrailingColumns { get; }
    public int GradientGroups => _layerSquares.Length;
    public GreedyPolicy EvaluationPolicy { get; }

    /// <summary>grad_norm_&lt;layer&gt; for every conv and dense layer, in order.</summary>
    public static IReadOnlyList<string> GradientColumns(Mlp network) => [.. network.WeightedLayers.Select(layer => RunFolder.GradientNormPrefix + layer.Name)];

    public float LearningRate { set => _optimizer.LearningRate = value; }

    public void BeginEpisode() { }

    public int Act(ReadOnlySpan<float> observation, bool explore) => explore ? -1 : GreedyAction(observation);

    private int GreedyAction(ReadOnlySpan<float> observation) => Greedy.ArgMax(_online.Forward(observation, 1));

    public void Remember(ReadOnlySpan<float> observation, ReadOnlySpan<float> nextObservation, int action, float reward,
                         bool terminated, bool truncated, long episode) =>
        _buffer.Add(observation, nextObservation, action, reward, terminated, truncated);

    public double Update(Rng rng, IntervalStats interval)
    {
        var dqn = _config.Algorithm;
        int batch = dqn.BatchSize;
        _buffer.Sample(rng, _batch, batch);
        ComputeTdTargets(batch, (float)dqn.Gamma, dqn.DoubleDqn);

        _online.ZeroGrad();
        ReadOnlySpan<float> q = _online.Forward(_batch.Observations, batch);
        float loss = _loss.Compute(q, _batch.Actions, _tdTargets, _dq, batch);
        // A clipped loss stays finite on an infinite TD error (and zeroes its gradient): the largest error tells.
        if (!float.IsFinite(loss) || !double.IsFinite(_loss.LastStats.AbsDeltaMax)) throw LossFault(q, batch);
        _online.Backward(_dq, batch);

        double gradNorm = MeasureGradients();
        if (!double.IsFinite(gradNorm)) throw GradientFault();
        var gradients = _online.Parameters.Gradients;
        if (_config.MaxGradNorm > 0) GradientClipping.ClipGlobalNorm(gradients, (float)_config.MaxGradNorm);
        if (_config.ClipGradValue > 0) GradientClipping.ClipByValue(gradients, (float)_config.ClipGradValue);
        _instruments?.BeforeOptimizerStep(_buffer);
        _optimizer.Step(_online.Parameters.Values, gradients);
        _instruments?.AfterOptimizerStep();
        interval.AddUpdate(_loss, loss, gradNorm, _layerSquares, _batch.Terminated, batch, (float)_config.Loss.Delta);
        return gradNorm;
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
            double squares = Norms.SumOfSquaresSimd(layers[l].WeightGrad) + (double)Norms.SumOfSquaresSimd(layers[l].BiasGrad);
            _layerSquares[l] = squares;
            total += squares;
        }
        return Math.Sqrt(total);
    }

    public void UpdateTarget(double tau)
    {
        if (tau >= 1.0) _target.CopyParametersFrom(_online);
        else _target.SoftUpdateFrom(_online, (float)tau);
    }

    // ---- numerical faults ---------------------------------------------------------------------

    private NumericalFault LossFault(ReadOnlySpan<float> q, int batch)
    {
        string last = _online.DenseLayers[^1].Name;
        if (!Finite.All(q[..(batch * _actionCount)])) return new("Q-value", $"the online network's output ({last})");
        if (!Finite.All(_tdTargets.AsSpan(0, batch))) return new("TD target", "the target network's output");
        return new("loss", $"loss '{DqnComponents.Name(_config.Loss.Type)}'");
    }

    private NumericalFault GradientFault()
    {
        foreach (var layer in _online.WeightedLayers)
        {
            if (!Finite.All(layer.WeightGrad)) return new("gradient", $"layer {layer.Name} (weight)");
            if (!Finite.All(layer.BiasGrad)) return new("gradient", $"layer {layer.Name} (bias)");
        }
        return new("gradient", "the network");
    }

    public void CheckWeights()
    {
        foreach (var layer in _online.WeightedLayers)
        {
            if (!Finite.All(layer.Weight)) throw new NumericalFault("weight", $"layer {layer.Name} (weight)");
            if (!Finite.All(layer.Bias)) throw new NumericalFault("weight", $"layer {layer.Name} (bias)");
        }
    }

    // ---- progress.csv -------------------------------------------------------------------------

    public void WriteColumns(Span<double> row, IntervalStats interval)
    {
        int c = 0;
        foreach (double layerSum in interval.LayerGradNormSums) row[c++] = interval.Mean(layerSum, interval.Updates);
    }

    public void WriteTrailingColumns(Span<double> row, long step) => _instruments?.WriteRow(row, step);

    // ---- model file and checkpoint -----------------------------------------------------------

    public void SaveModel(BinaryWriter writer) => _online.Save(writer);

    public string DescribeNetwork() => _online.Describe();

    public void Save(BinaryWriter writer)
    {
        _online.Save(writer);
        _target.Save(writer);
        _optimizer.Save(writer);
        _buffer.Save(writer);
        _instruments?.Save(writer);
    }

    public void Load(BinaryReader reader, string path)
    {
        _online.Load(reader);
        _target.Load(reader);
        Finite.RequireWeights(_online.Parameters.Values, "online");
        Finite.RequireWeights(_target.Parameters.Values, "target");
        _optimizer.Load(reader);
        _buffer.Load(reader);
        _instruments?.Load(reader);
    }
}
