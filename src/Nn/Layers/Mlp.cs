using System.Numerics.Tensors;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Serialization;

namespace DqnStudy.Nn.Layers;

/// <summary>
/// A sequential network of Dense and activation layers over one <see cref="ParameterBlock"/>. Every buffer
/// is sized for <see cref="MaxBatch"/> at construction: Forward and Backward allocate nothing.
/// Gradients accumulate; call <see cref="ZeroGrad"/> once per optimiser step.
/// </summary>
public sealed class Mlp
{
    private static ReadOnlySpan<byte> Magic => "DQNS"u8;
    private const int FormatVersion = 1;

    private readonly IBlas blas;
    private readonly LayerSpec[] specs;
    private readonly ILayer[] layers;
    private readonly Dense[] denseLayers;
    private readonly float[][] inputGradients;   // [i]: dL/d(input of layer i), (MaxBatch, layers[i].InputSize); [0] unused

    /// <summary>Dense(in→h1), act, Dense(h1→h2), act, …, Dense(hk→out) with an identity head.
    /// Layers are named fc1, act1, fc2, act2, …</summary>
    public Mlp(IBlas blas, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize,
               Activation activation, int maxBatch, float leakySlope = 0.01f)
        : this(blas, Stack(hiddenSizes, outputSize, activation, leakySlope), inputSize, maxBatch)
    {
    }

    /// <summary>Any sequence of layers; Dense layers are named fc1, fc2, … and activations act1, act2, …</summary>
    public Mlp(IBlas blas, IReadOnlyList<LayerSpec> layers, int inputSize, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(blas);
        ArgumentNullException.ThrowIfNull(layers);
        Shapes.RequirePositive(inputSize, nameof(inputSize));
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        if (layers.Count == 0)
        {
            throw new ArgumentException("An Mlp needs at least one layer.", nameof(layers));
        }
        this.blas = blas;
        specs = [.. layers];
        InputSize = inputSize;
        MaxBatch = maxBatch;

        var tensors = new List<(string Name, int Rows, int Cols)>();
        int width = inputSize;
        int denseCount = 0;
        foreach (LayerSpec spec in specs)
        {
            if (spec.Kind == LayerKind.Dense)
            {
                Shapes.RequirePositive(spec.OutputSize, nameof(layers) + ".OutputSize");
                tensors.AddRange(Dense.Tensors("fc" + ++denseCount, width, spec.OutputSize));
                width = spec.OutputSize;
            }
            else if (spec.Kind != LayerKind.Activation)
            {
                throw new ArgumentOutOfRangeException(nameof(layers), spec.Kind, "Unknown layer kind.");
            }
        }
        OutputSize = width;
        Parameters = new ParameterBlock(tensors);

        this.layers = new ILayer[specs.Length];
        denseLayers = new Dense[denseCount];
        inputGradients = new float[specs.Length][];
        width = inputSize;
        int dense = 0, act = 0;
        for (int i = 0; i < specs.Length; i++)
        {
            inputGradients[i] = i == 0 ? [] : new float[maxBatch * width];
            if (specs[i].Kind == LayerKind.Dense)
            {
                var layer = new Dense("fc" + (dense + 1), blas, Parameters, 2 * dense, maxBatch);
                denseLayers[dense++] = layer;
                this.layers[i] = layer;
            }
            else
            {
                this.layers[i] = new ActivationLayer("act" + ++act, specs[i].Function, width, maxBatch, specs[i].Slope);
            }
            width = this.layers[i].OutputSize;
        }
    }

    public int InputSize { get; }

    public int OutputSize { get; }

    public int MaxBatch { get; }

    public IReadOnlyList<ILayer> Layers => layers;

    public IReadOnlyList<Dense> DenseLayers => denseLayers;

    public IReadOnlyList<LayerSpec> Specs => specs;

    public ParameterBlock Parameters { get; }

    public IBlas Blas => blas;

    /// <summary>x:(batch, InputSize) → (batch, OutputSize), a view of the last layer's output buffer.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch)
    {
        Batch.Require(batch, MaxBatch);
        Shapes.Require(x, batch * InputSize, nameof(x));
        ReadOnlySpan<float> h = x;
        for (int i = 0; i < layers.Length; i++)
        {
            // A Dense layer after an activation reads that layer's buffer in place instead of caching a copy.
            h = i > 0 && layers[i] is Dense dense && layers[i - 1] is ActivationLayer previous
                ? dense.ForwardBorrowed(previous.OutputBuffer, batch)
                : layers[i].Forward(h, batch);
        }
        return h;
    }

    /// <summary>Accumulates every parameter gradient from dy:(batch, OutputSize); skips the input gradient.</summary>
    public void Backward(ReadOnlySpan<float> dy, int batch) => Backward(dy, [], batch);

    /// <summary>Accumulates every parameter gradient and overwrites dx:(batch, InputSize) (dx may be empty).</summary>
    public void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Batch.Require(batch, MaxBatch);
        Shapes.Require(dy, batch * OutputSize, nameof(dy));
        if (!dx.IsEmpty)
        {
            Shapes.Require(dx, batch * InputSize, nameof(dx));
        }
        ReadOnlySpan<float> upstream = dy;
        for (int i = layers.Length - 1; i >= 0; i--)
        {
            Span<float> downstream = i == 0 ? dx : inputGradients[i].AsSpan(0, batch * layers[i].InputSize);
            layers[i].Backward(upstream, downstream, batch);
            upstream = downstream;
        }
    }

    /// <summary>dL/d(input of layer <paramref name="layer"/>) from the last Backward, (batch, layer's InputSize);
    /// for layer ≥ 1 this is the gradient at the previous layer's output (dead-ReLU and saturation probes read it).</summary>
    public ReadOnlySpan<float> InputGradient(int layer, int batch)
    {
        if (layer < 1 || layer >= layers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer is {layer} but must be in 1..{layers.Length - 1}.");
        }
        Batch.Require(batch, MaxBatch);
        return inputGradients[layer].AsSpan(0, batch * layers[layer].InputSize);
    }

    public void ZeroGrad() => Parameters.ZeroGradients();

    /// <summary>Draws every Dense layer's weights then bias, first layer first (see <see cref="Initializers.Apply"/>).</summary>
    public void Initialize(InitScheme scheme, double scale, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        foreach (Dense layer in denseLayers)
        {
            Initializers.Apply(scheme, layer.Weight, layer.Bias, layer.InputSize, layer.OutputSize, scale, rng);
        }
    }

    /// <summary>Hard target-network update: θ ← θsrc (architectures must match).</summary>
    public void CopyParametersFrom(Mlp source)
    {
        RequireSameArchitecture(source);
        source.Parameters.Values.CopyTo(Parameters.Values);
    }

    /// <summary>Polyak update: θ ← τ·θsrc + (1−τ)·θ.</summary>
    public void SoftUpdateFrom(Mlp source, float tau)
    {
        RequireSameArchitecture(source);
        if (!(tau >= 0f && tau <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "tau must be in [0, 1].");
        }
        Span<float> theta = Parameters.Values;
        // Scale θ by (1−τ), then θ += τ·θsrc: two vector passes and no temporary.
        TensorPrimitives.Multiply(theta, 1f - tau, theta);
        TensorPrimitives.MultiplyAdd(source.Parameters.Values, tau, theta, theta);
    }

    /// <summary>Same architecture, provider and weights in new buffers (gradients zero).</summary>
    public Mlp Clone()
    {
        var copy = new Mlp(blas, specs, InputSize, MaxBatch);
        Parameters.Values.CopyTo(copy.Parameters.Values);
        return copy;
    }

    /// <summary>Writes "DQNS", the format version, the architecture, the parameter count and the parameters.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryFormat.WriteHeader(writer, Magic, FormatVersion);
        writer.Write(InputSize);
        writer.Write(specs.Length);
        foreach (LayerSpec spec in specs)
        {
            writer.Write((int)spec.Kind);
            writer.Write(spec.OutputSize);
            writer.Write((int)spec.Function);
            writer.Write(spec.Slope);
        }
        writer.Write(Parameters.Count);
        BinaryFormat.WriteFloats(writer, Parameters.Values);
    }

    /// <summary>Reads a file written by <see cref="Save"/> into this network. Header, version and the whole
    /// architecture are checked before any parameter is read; a mismatch throws InvalidDataException and
    /// leaves the parameters untouched unless the payload itself is truncated.</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        BinaryFormat.ReadHeader(reader, Magic, FormatVersion, "DqnStudy network");
        BinaryFormat.Expect(reader, InputSize, "input size");
        BinaryFormat.Expect(reader, specs.Length, "layer count");
        for (int i = 0; i < specs.Length; i++)
        {
            BinaryFormat.Expect(reader, (int)specs[i].Kind, $"layer {i} kind");
            BinaryFormat.Expect(reader, specs[i].OutputSize, $"layer {i} output size");
            BinaryFormat.Expect(reader, (int)specs[i].Function, $"layer {i} activation");
            float slope = BinaryFormat.ReadSingle(reader, $"layer {i} slope");
            if (BitConverter.SingleToInt32Bits(slope) != BitConverter.SingleToInt32Bits(specs[i].Slope))
            {
                throw new InvalidDataException($"layer {i} slope is {slope} in the file but {specs[i].Slope} here (size mismatch).");
            }
        }
        BinaryFormat.Expect(reader, Parameters.Count, "parameter count");
        BinaryFormat.ReadFloats(reader, Parameters.Values, "the parameters");
    }

    private void RequireSameArchitecture(Mlp source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.InputSize != InputSize || !source.specs.AsSpan().SequenceEqual(specs))
        {
            throw new ArgumentException(
                $"{nameof(source)} has architecture {source.Describe()} but this network is {Describe()}.", nameof(source));
        }
    }

    /// <summary>"4 → fc 120 → relu → fc 84 → relu → fc 2".</summary>
    public string Describe() =>
        InputSize + string.Concat(specs.Select(s => s.Kind == LayerKind.Dense
            ? " → fc " + s.OutputSize
            : " → " + s.Function.ToString().ToLowerInvariant() + (s.Function == Activation.LeakyRelu ? "(" + s.Slope + ")" : "")));

    private static LayerSpec[] Stack(IReadOnlyList<int> hiddenSizes, int outputSize, Activation activation, float leakySlope)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        var stack = new List<LayerSpec>();
        foreach (int hidden in hiddenSizes)
        {
            Shapes.RequirePositive(hidden, nameof(hiddenSizes));
            stack.Add(LayerSpec.Dense(hidden));
            stack.Add(LayerSpec.Act(activation, leakySlope));
        }
        Shapes.RequirePositive(outputSize, nameof(outputSize));
        stack.Add(LayerSpec.Dense(outputSize));
        return [.. stack];
    }
}
