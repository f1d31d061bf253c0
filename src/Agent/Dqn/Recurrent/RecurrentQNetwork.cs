using System.Numerics.Tensors;
using DqnStudy.Agent.Config;
using DqnStudy.Nn;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Recurrent;
using DqnStudy.Nn.Serialization;

namespace DqnStudy.Agent.Dqn.Recurrent;

/// <summary>
/// DRQN's Q-network: a recurrent cell (VanillaRnn or Lstm, hidden = hidden_sizes[0]) read at every step by an
/// Mlp head (hidden_sizes[1..] dense widths, then the actions). Two parameter blocks (cell, head): callers
/// step one optimiser per block, which for element-wise optimisers equals one over the concatenation.
/// Buffers are sized for maxSteps × maxBatch at construction; Forward, Backward and Act never allocate.
/// </summary>
public sealed class RecurrentQNetwork
{
    private static ReadOnlySpan<byte> ModelMagic => "DQRQ"u8;
    private const int ModelFormatVersion = 1;

    private readonly VanillaRnn? _rnn;
    private readonly Lstm? _lstm;
    private readonly float[] _zeroState;   // (maxBatch, H): h0 = c0 = 0 for replayed sequences
    private readonly float[] _dHidden;     // (maxSteps, maxBatch, H): dL/dh_t from the head
    private int _steps;
    private int _batch;

    public RecurrentQNetwork(IBlas blas, NetworkKind kind, int inputSize, int hiddenSize, IReadOnlyList<int> headHiddenSizes,
                             int actions, Activation activation, float leakySlope, int maxSteps, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(blas);
        Kind = kind;
        if (kind == NetworkKind.Rnn) _rnn = new VanillaRnn(blas, inputSize, hiddenSize, maxSteps, maxBatch);
        else if (kind == NetworkKind.Lstm) _lstm = new Lstm(blas, inputSize, hiddenSize, maxSteps, maxBatch);
        else throw new ArgumentOutOfRangeException(nameof(kind), kind, "kind must be rnn or lstm.");
        HeadHiddenSizes = [.. headHiddenSizes];
        Head = new Mlp(blas, hiddenSize, HeadHiddenSizes, actions, activation, maxSteps * maxBatch, leakySlope);
        _zeroState = new float[maxBatch * hiddenSize];
        _dHidden = new float[maxSteps * maxBatch * hiddenSize];
        MaxSteps = maxSteps;
        MaxBatch = maxBatch;
    }

    public NetworkKind Kind { get; }
    public int InputSize => _rnn?.InputSize ?? _lstm!.InputSize;
    public int HiddenSize => _rnn?.HiddenSize ?? _lstm!.HiddenSize;
    public int Actions => Head.OutputSize;
    public int MaxSteps { get; }
    public int MaxBatch { get; }
    public int[] HeadHiddenSizes { get; }
    public Mlp Head { get; }

    /// <summary>The cell's block: W_ih, W_hh, b_ih, b_hh (see VanillaRnn/Lstm.Parameters).</summary>
    public Span<float> CellParameters => _rnn is not null ? _rnn.Parameters : _lstm!.Parameters;
    public Span<float> CellGradients => _rnn is not null ? _rnn.Gradients : _lstm!.Gradients;
    public Span<float> WeightIh => _rnn is not null ? _rnn.WeightIh : _lstm!.WeightIh;
    public Span<float> WeightHh => _rnn is not null ? _rnn.WeightHh : _lstm!.WeightHh;
    public Span<float> BiasIh => _rnn is not null ? _rnn.BiasIh : _lstm!.BiasIh;
    public Span<float> BiasHh => _rnn is not null ? _rnn.BiasHh : _lstm!.BiasHh;
    public Span<float> WeightIhGrad => _rnn is not null ? _rnn.WeightIhGrad : _lstm!.WeightIhGrad;
    public Span<float> WeightHhGrad => _rnn is not null ? _rnn.WeightHhGrad : _lstm!.WeightHhGrad;
    public Span<float> BiasIhGrad => _rnn is not null ? _rnn.BiasIhGrad : _lstm!.BiasIhGrad;
    public Span<float> BiasHhGrad => _rnn is not null ? _rnn.BiasHhGrad : _lstm!.BiasHhGrad;

    /// <summary>After Backward: T+1 norms over the batch; entry 0 = ||dL/dh_init||, entry t = ||dL/dh after t inputs||.</summary>
    public ReadOnlySpan<float> HiddenGradientNorms => _rnn is not null ? _rnn.HiddenGradientNorms : _lstm!.HiddenGradientNorms;

    /// <summary>Floats of recurrent state per sequence: h (rnn) or h then c (lstm).</summary>
    public int StateSize => _rnn is not null ? HiddenSize : 2 * HiddenSize;

    /// <summary>Cell: torch's U(±scale/√H); head: the configured scheme.</summary>
    public void Initialize(NetworkConfig network, Random rng)
    {
        if (_rnn is not null) _rnn.Initialize(rng, network.InitScale);
        else _lstm!.Initialize(rng, network.InitScale);
        Head.Initialize(DqnComponents.ToInitScheme(network.Init), network.InitScale, rng);
    }

    /// <summary>xs: (T, B, I) from a zero initial state → Q: (T·B, A), time-major, valid until the next Forward.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> xs, int steps, int batch)
    {
        ReadOnlySpan<float> zero = _zeroState.AsSpan(0, batch * HiddenSize);
        ReadOnlySpan<float> hs = _rnn is not null ? _rnn.Forward(xs, zero, steps, batch) : _lstm!.Forward(xs, zero, zero, steps, batch);
        _steps = steps;
        _batch = batch;
        return Head.Forward(hs, steps * batch);
    }

    /// <summary>dq: (T·B, A) → accumulates every parameter gradient (head, then BPTT through the cell).</summary>
    public void Backward(ReadOnlySpan<float> dq, int steps, int batch)
    {
        if (steps != _steps || batch != _batch)
            throw new InvalidOperationException($"Backward for {steps}×{batch} but the last Forward was {_steps}×{_batch}.");
        Span<float> dhs = _dHidden.AsSpan(0, steps * batch * HiddenSize);   // (T, B, H)
        Head.Backward(dq, dhs, steps * batch);
        if (_rnn is not null) _rnn.Backward(dhs, [], [], steps, batch);
        else _lstm!.Backward(dhs, [], [], [], [], steps, batch);
    }

    /// <summary>One acting step for one sequence: state (h, or h then c) is read and overwritten with the next state.
    /// Returns Q (A). Clobbers the training caches: call between updates, never between Forward and Backward.</summary>
    public ReadOnlySpan<float> Act(ReadOnlySpan<float> observation, Span<float> state)
    {
        Shapes.Require(state, StateSize, nameof(state));
        int h = HiddenSize;
        ReadOnlySpan<float> hidden;
        if (_rnn is not null)
        {
            hidden = _rnn.Forward(observation, state[..h], 1, 1);
            hidden.CopyTo(state);
        }
        else
        {
            hidden = _lstm!.Forward(observation, state[..h], state.Slice(h, h), 1, 1);
            hidden.CopyTo(state);
            _lstm.FinalCell.CopyTo(state.Slice(h, h));
        }
        _steps = 0;
        return Head.Forward(hidden, 1);
    }

    public void ZeroGrad()
    {
        if (_rnn is not null) _rnn.ZeroGrad();
        else _lstm!.ZeroGrad();
        Head.ZeroGrad();
    }

    public void CopyParametersFrom(RecurrentQNetwork source)
    {
        RequireSameShape(source);
        source.CellParameters.CopyTo(CellParameters);
        Head.CopyParametersFrom(source.Head);
    }

    /// <summary>Polyak: θ ← τ·θsrc + (1−τ)·θ on both blocks.</summary>
    public void SoftUpdateFrom(RecurrentQNetwork source, float tau)
    {
        RequireSameShape(source);
        Span<float> theta = CellParameters;
        TensorPrimitives.Multiply(theta, 1f - tau, theta);
        TensorPrimitives.MultiplyAdd(source.CellParameters, tau, theta, theta);
        Head.SoftUpdateFrom(source.Head, tau);
    }

    /// <summary>Same architecture and weights in new buffers.</summary>
    public RecurrentQNetwork Clone(IBlas blas, Activation activation, float leakySlope)
    {
        var copy = new RecurrentQNetwork(blas, Kind, InputSize, HiddenSize, HeadHiddenSizes, Actions, activation, leakySlope, MaxSteps, MaxBatch);
        copy.CopyParametersFrom(this);
        return copy;
    }

    /// <summary>Spectral radius and largest singular value of W_hh (allocates: log rows only). For an LSTM,
    /// W_hh is (4H, H): the radius is the largest over its four (H, H) gate blocks, the norm is of the whole matrix.</summary>
    public (double Radius, double Norm) SpectralProbes()
    {
        int h = HiddenSize;
        ReadOnlySpan<float> w = WeightHh;
        double radius = 0;
        int blocks = _rnn is not null ? 1 : 4;
        for (int g = 0; g < blocks; g++) radius = Math.Max(radius, SpectralProbe.SpectralRadius(w.Slice(g * h * h, h * h), h));
        return (radius, SpectralProbe.SpectralNorm(w, blocks * h, h));
    }

    /// <summary>"4 → lstm 64 → fc 2": the cell and its width, then the head.</summary>
    public string Describe()
    {
        string head = Head.Describe();
        return $"{InputSize} → {(Kind == NetworkKind.Lstm ? "lstm" : "rnn")} {HiddenSize}{head[head.IndexOf(" →", StringComparison.Ordinal)..]}";
    }

    /// <summary>A model file (best_model.bin, final_model.bin): "DQRQ", the format version, then what <see cref="Save"/>
    /// writes (the kind, the cell with its sizes, the head with its architecture).</summary>
    public void SaveModel(BinaryWriter writer)
    {
        BinaryFormat.WriteHeader(writer, ModelMagic, ModelFormatVersion);
        Save(writer);
    }

    /// <summary>Reads a <see cref="SaveModel"/> file; InvalidDataException when it is another kind of file or holds
    /// another architecture.</summary>
    public void LoadModel(BinaryReader reader)
    {
        BinaryFormat.ReadHeader(reader, ModelMagic, ModelFormatVersion, "DqnStudy recurrent Q-network");
        Load(reader);
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write((int)Kind);
        if (_rnn is not null) _rnn.Save(writer);
        else _lstm!.Save(writer);
        Head.Save(writer);
    }

    public void Load(BinaryReader reader)
    {
        int kind = reader.ReadInt32();
        if (kind != (int)Kind) throw new InvalidDataException($"checkpoint holds a {(NetworkKind)kind} network but the config asks for {Kind}.");
        if (_rnn is not null) _rnn.Load(reader);
        else _lstm!.Load(reader);
        Head.Load(reader);
    }

    private void RequireSameShape(RecurrentQNetwork source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Kind != Kind || source.CellParameters.Length != CellParameters.Length || source.Head.Parameters.Count != Head.Parameters.Count)
            throw new ArgumentException($"{nameof(source)} is a {source.Kind} with {source.CellParameters.Length}+{source.Head.Parameters.Count} parameters but this network is a {Kind} with {CellParameters.Length}+{Head.Parameters.Count}.", nameof(source));
    }
}
