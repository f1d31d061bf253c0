using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Seeding;
using DqnStudy.Agent.Config;
using DqnStudy.Nn;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Agent.Dqn.Recurrent;

/// <summary>
/// DRQN's learner (Hausknecht and Stone 2015) for a recurrent Q-network (rnn or lstm cell, then an MLP head). Choices:
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
public sealed class RecurrentLearner : IQLearner
{
    private const int Tensors = 4;   // w_ih, w_hh, bias (b_ih + b_hh), head

    private readonly DqnConfig _config;
    private readonly int _observationSize;
    private readonly int _actionCount;
    private readonly int _sequence;
    private readonly RecurrentQNetwork _online;
    private readonly RecurrentQNetwork _target;
    private readonly IOptimizer _cellOptimizer;
    private readonly IOptimizer _headOptimizer;
    private readonly SequenceLoss _loss;
    private readonly SequenceReplayBuffer _buffer;
    private readonly SequenceBatch _batch;
    private readonly float[] _tdTargets;   // (T, B)
    private readonly int[] _nextActions;   // (T, B)
    private readonly float[] _dq;          // (T, B, A)
    private readonly float[] _state;       // acting: h (and c)
    private readonly float[] _evalState;
    private readonly double[] _tensorSquares = new double[Tensors];
    private readonly double[] _dhNormSums;

    public RecurrentLearner(DqnConfig config, IBlas blas, int observationSize, int actionCount, int seed)
    {
        if (config.Network.Type is not (NetworkKind.Rnn or NetworkKind.Lstm))
            throw new ArgumentException($"network.type is {DqnComponents.Name(config.Network.Type)} but RecurrentLearner needs rnn or lstm.", nameof(config));
        _config = config;
        _observationSize = observationSize;
        _actionCount = actionCount;
        var dqn = config.Algorithm;
        _sequence = dqn.SequenceLength;
        _online = CreateNetwork(config, blas, observationSize, actionCount, seed);
        _target = _online.Clone(blas, Activation(config), (float)config.Network.LeakySlope);
        _cellOptimizer = DqnComponents.CreateOptimizer(config, _online.CellParameters.Length);
        _headOptimizer = DqnComponents.CreateOptimizer(config, _online.Head.Parameters.Count);
        _loss = new SequenceLoss(DqnComponents.CreateLoss(config), _sequence * dqn.BatchSize, actionCount);
        _buffer = new SequenceReplayBuffer(dqn.BufferSize, observationSize);
        _batch = new SequenceBatch(dqn.BatchSize, _sequence, observationSize);
        _tdTargets = new float[_sequence * dqn.BatchSize];
        _nextActions = new int[_sequence * dqn.BatchSize];
        _dq = new float[_sequence * dqn.BatchSize * actionCount];
        _state = new float[_online.StateSize];
        _evalState = new float[_online.StateSize];
        _dhNormSums = new double[_sequence + 1];
        Columns = ProgressColumns(_sequence);
        EvaluationPolicy = GreedyEvalAction;
    }

    /// <summary>The configured DRQN net: maxSteps T+1 (the target unroll), maxBatch batch_size.</summary>
    public static RecurrentQNetwork CreateNetwork(DqnConfig config, IBlas blas, int observationSize, int actions, int seed)
    {
        var sizes = config.Network.HiddenSizes;
        var network = new RecurrentQNetwork(blas, config.Network.Type, observationSize, sizes[0], [.. sizes.Skip(1)], actions,
                                            Activation(config), (float)config.Network.LeakySlope,
                                            config.Algorithm.SequenceLength + 1, config.Algorithm.BatchSize);
        network.Initialize(config.Network, new Random(seed));
        return network;
    }

    private static Activation Activation(DqnConfig config) => DqnComponents.ToActivation(config.Network.Activation);

    /// <summary>Per-tensor gradient norms, dh_norm_t0..t{T} (entry 0: the initial state; entry t: the state after t
    /// inputs; interval means of ||dL/dh|| over the batch), and W_hh's spectral radius and norm at the row's step.</summary>
    public static IReadOnlyList<string> ProgressColumns(int sequenceLength)
    {
        string g = RunFolder.GradientNormPrefix;
        var columns = new List<string> { g + "w_ih", g + "w_hh", g + "bias", g + "head" };
        for (int t = 0; t <= sequenceLength; t++) columns.Add("dh_norm_t" + t);
        columns.Add("spectral_radius_w_hh");
        columns.Add("spectral_norm_w_hh");
        return columns;
    }

    public RecurrentQNetwork OnlineNetwork => _online;
    public RecurrentQNetwork TargetNetwork => _target;

    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<string> TrailingColumns => [];
    public int GradientGroups => Tensors;
    public GreedyPolicy EvaluationPolicy { get; }

    // ---- acting -------------------------------------------------------------------------------

    public float LearningRate { set => _cellOptimizer.LearningRate = _headOptimizer.LearningRate = value; }

    public void BeginEpisode() => Array.Clear(_state);

    // The net runs on every step, even when ε picks the action: the hidden state must see every observation.
    public int Act(ReadOnlySpan<float> observation, bool explore) => Greedy.ArgMax(_online.Act(observation, _state));

    // Evaluation carries its own hidden state, zeroed at every reset, so it never disturbs the acting state.
    private int GreedyEvalAction(ReadOnlySpan<float> observation, bool episodeStart)
    {
        if (episodeStart) Array.Clear(_evalState);
        return Greedy.ArgMax(_online.Act(observation, _evalState));
    }

    public void Remember(ReadOnlySpan<float> observation, ReadOnlySpan<float> nextObservation, int action, float reward,
                         bool terminated, bool truncated, long episode) =>
        _buffer.Add(observation, nextObservation, action, reward, terminated, truncated, episode);

    // ---- learning -----------------------------------------------------------------------------

    public double Update(Rng rng, IntervalStats interval)
    {
        var dqn = _config.Algorithm;
        int batch = dqn.BatchSize, steps = _sequence, rows = steps * batch;
        _buffer.Sample(rng, _batch, batch);

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
        // A clipped loss stays finite on an infinite TD error (and zeroes its gradient): the largest error tells.
        if (!float.IsFinite(loss) || !double.IsFinite(_loss.Inner.LastStats.AbsDeltaMax)) throw LossFault(q, rows);
        _online.Backward(_dq, steps, batch);

        double gradNorm = MeasureGradients();
        if (!double.IsFinite(gradNorm)) throw GradientFault();
        Span<float> cellGradients = _online.CellGradients, headGradients = _online.Head.Parameters.Gradients;
        if (_config.MaxGradNorm > 0)
        {
            // clip_grad_norm_ over both blocks at once: one coefficient from the global norm.
            GradientClipping.ScaleToMaxNorm(cellGradients, gradNorm, _config.MaxGradNorm);
            GradientClipping.ScaleToMaxNorm(headGradients, gradNorm, _config.MaxGradNorm);
        }
        if (_config.ClipGradValue > 0)
        {
            GradientClipping.ClipByValue(cellGradients, (float)_config.ClipGradValue);
            GradientClipping.ClipByValue(headGradients, (float)_config.ClipGradValue);
        }
        _cellOptimizer.Step(_online.CellParameters, cellGradients);
        _headOptimizer.Step(_online.Head.Parameters.Values, headGradients);
        interval.AddUpdate(_loss.Inner, loss, gradNorm, _tensorSquares, _loss.ValidTerminated, _loss.ValidCount, (float)_config.Loss.Delta);
        ReadOnlySpan<float> dhNorms = _online.HiddenGradientNorms;
        for (int t = 0; t < dhNorms.Length; t++) _dhNormSums[t] += dhNorms[t];
        return gradNorm;
    }

    /// <summary>Squared norms of w_ih, w_hh, the recurrent biases and the head into _tensorSquares; returns the global norm.</summary>
    private double MeasureGradients()
    {
        // In double (Norms.SumOfSquares): an exploding RNN gradient overflows a float sum long before the weights are lost.
        _tensorSquares[0] = Norms.SumOfSquares(_online.WeightIhGrad);
        _tensorSquares[1] = Norms.SumOfSquares(_online.WeightHhGrad);
        _tensorSquares[2] = Norms.SumOfSquares(_online.BiasIhGrad) + Norms.SumOfSquares(_online.BiasHhGrad);
        _tensorSquares[3] = Norms.SumOfSquares(_online.Head.Parameters.Gradients);
        double total = 0;
        foreach (double s in _tensorSquares) total += s;
        return Math.Sqrt(total);
    }

    public void UpdateTarget(double tau)
    {
        if (tau >= 1.0) _target.CopyParametersFrom(_online);
        else _target.SoftUpdateFrom(_online, (float)tau);
    }

    // ---- numerical faults ---------------------------------------------------------------------

    private string CellName => DqnComponents.Name(_config.Network.Type);

    private NumericalFault LossFault(ReadOnlySpan<float> q, int rows)
    {
        if (!Finite.All(q[..(rows * _actionCount)])) return new("Q-value", $"the online {CellName} network's output");
        if (!Finite.All(_tdTargets.AsSpan(0, rows))) return new("TD target", "the target network's output");
        return new("loss", $"loss '{DqnComponents.Name(_config.Loss.Type)}'");
    }

    private NumericalFault GradientFault()
    {
        foreach (var (name, where, values) in NamedTensors(gradients: true))
        {
            if (!Finite.All(values.Span)) return new(name + " gradient", where);
        }
        return new("gradient", "the network");
    }

    public void CheckWeights()
    {
        foreach (var (name, where, values) in NamedTensors(gradients: false))
        {
            if (!Finite.All(values.Span)) throw new NumericalFault(name + " weight", where);
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

    // ---- progress.csv -------------------------------------------------------------------------

    public void WriteColumns(Span<double> row, IntervalStats interval)
    {
        int c = 0;
        foreach (double tensorSum in interval.LayerGradNormSums) row[c++] = interval.Mean(tensorSum, interval.Updates);
        foreach (double dhSum in _dhNormSums) row[c++] = interval.Mean(dhSum, interval.Updates);
        var (radius, norm) = _online.SpectralProbes();
        row[c++] = radius;
        row[c] = norm;
        Array.Clear(_dhNormSums);
    }

    public void WriteTrailingColumns(Span<double> row, long step) { }

    // ---- model file and checkpoint -----------------------------------------------------------

    public void SaveModel(BinaryWriter writer) => _online.SaveModel(writer);

    public string DescribeNetwork() => _online.Describe();

    public void Save(BinaryWriter writer)
    {
        writer.Write(_dhNormSums.Length);
        foreach (double v in _dhNormSums) writer.Write(v);
        // The acting state: it was built under weights that have changed since, so replay cannot rebuild it.
        writer.Write(_state.Length);
        foreach (float v in _state) writer.Write(v);
        _online.Save(writer);
        _target.Save(writer);
        _cellOptimizer.Save(writer);
        _headOptimizer.Save(writer);
        _buffer.Save(writer);
    }

    public void Load(BinaryReader reader, string path)
    {
        int dh = reader.ReadInt32();
        if (dh != _dhNormSums.Length) throw new InvalidDataException($"{path}: {dh} hidden-gradient sums but the sequence needs {_dhNormSums.Length}.");
        for (int i = 0; i < dh; i++) _dhNormSums[i] = reader.ReadDouble();
        int stateSize = reader.ReadInt32();
        if (stateSize != _state.Length) throw new InvalidDataException($"{path}: recurrent state of {stateSize} floats but the network has {_state.Length}.");
        for (int i = 0; i < stateSize; i++) _state[i] = reader.ReadSingle();
        _online.Load(reader);
        _target.Load(reader);
        foreach (var (network, name) in new[] { (_online, "online"), (_target, "target") })
        {
            Finite.RequireWeights(network.CellParameters, name + " " + CellName);
            Finite.RequireWeights(network.Head.Parameters.Values, name + " head");
        }
        _cellOptimizer.Load(reader);
        _headOptimizer.Load(reader);
        _buffer.Load(reader);
    }
}
