using System.Numerics.Tensors;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Serialization;

namespace DqnStudy.Nn.Layers;

/// <summary>
/// A sequential network over one <see cref="ParameterBlock"/>: Dense layers and activations, optionally after a
/// convolutional stem (Conv2d layers and activations on an NCHW image input, then one Flatten). Every buffer is sized
/// for <see cref="MaxBatch"/> at construction: Forward and Backward allocate nothing. Gradients accumulate; call
/// <see cref="ZeroGrad"/> once per optimiser step. Parameters are named as torch names a module's: conv1.weight,
/// conv1.bias, …, fc1.weight, fc1.bias, … in layer order.
/// </summary>
public sealed class Mlp
{
    private static ReadOnlySpan<byte> Magic => "DQNS"u8;
    private const int FormatVersion = 2;        // 2 added the image input and each layer's convolution window
    private const int DenseOnlyFormatVersion = 1;

    private readonly IBlas _blas;
    private readonly LayerSpec[] _specs;
    private readonly ILayer[] _layers;
    private readonly Dense[] _denseLayers;
    private readonly Conv2dLayer[] _convLayers;
    private readonly IWeightedLayer[] _weightedLayers;
    private readonly float[][] _inputGradients;   // [i]: dL/d(input of layer i), (MaxBatch, layers[i].InputSize); [0] unused.
                                                 // A flatten's is the next layer's array: reshaping moves no data.

    /// <summary>Dense(in→h1), act, Dense(h1→h2), act, …, Dense(hk→out) with an identity head.
    /// Layers are named fc1, act1, fc2, act2, …</summary>
    public Mlp(IBlas blas, int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize,
               Activation activation, int maxBatch, float leakySlope = 0.01f)
        : this(blas, Stack(hiddenSizes, outputSize, activation, leakySlope), inputSize, maxBatch)
    {
    }

    /// <summary>Any sequence of Dense layers and activations on a vector input; Dense layers are named fc1, fc2, …
    /// and activations act1, act2, …</summary>
    public Mlp(IBlas blas, IReadOnlyList<LayerSpec> layers, int inputSize, int maxBatch)
        : this(blas, layers, null, inputSize, maxBatch)
    {
    }

    /// <summary>A network on images (batch, C, H, W), e.g. MinAtar's: Conv2d(16, 3), relu, Flatten, Dense(128), relu,
    /// Dense(actions). Conv layers are named conv1, conv2, …, the flatten flatten1; a Dense layer needs a Flatten
    /// before it.</summary>
    public Mlp(IBlas blas, IReadOnlyList<LayerSpec> layers, ImageShape input, int maxBatch)
        : this(blas, layers, input, input.Size, maxBatch)
    {
    }

    private Mlp(IBlas blas, IReadOnlyList<LayerSpec> layers, ImageShape? image, int inputSize, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(blas);
        ArgumentNullException.ThrowIfNull(layers);
        if (image is ImageShape shape)
        {
            Shapes.RequirePositive(shape.Channels, "input.Channels");
            Shapes.RequirePositive(shape.Height, "input.Height");
            Shapes.RequirePositive(shape.Width, "input.Width");
        }
        Shapes.RequirePositive(inputSize, nameof(inputSize));
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        if (layers.Count == 0)
        {
            throw new ArgumentException("An Mlp needs at least one layer.", nameof(layers));
        }
        _blas = blas;
        _specs = [.. layers];
        InputImage = image;
        InputSize = inputSize;
        MaxBatch = maxBatch;

        NetworkPlan plan = NetworkPlan.Build(_specs, image, inputSize);
        OutputSize = plan.OutputSize;
        Parameters = new ParameterBlock(plan.Tensors);

        _layers = new ILayer[_specs.Length];
        _denseLayers = new Dense[plan.DenseCount];
        _convLayers = new Conv2dLayer[plan.ConvCount];
        int dense = 0, conv = 0, view = 0;
        for (int i = 0; i < _specs.Length; i++)
        {
            string name = plan.Names[i];
            ILayer? previous = i == 0 ? null : _layers[i - 1];
            switch (_specs[i].Kind)
            {
                case LayerKind.Dense:
                    _layers[i] = _denseLayers[dense++] = new Dense(name, blas, Parameters, view, maxBatch);
                    view += 2;
                    break;
                case LayerKind.Conv2d:
                    _layers[i] = _convLayers[conv++] = new Conv2dLayer(name, blas, plan.ConvShapes[i], Parameters, view, maxBatch);
                    view += 2;
                    break;
                case LayerKind.Flatten:
                    _layers[i] = new FlattenLayer(name, plan.Images[i]!.Value, maxBatch, previous);
                    break;
                default:
                    _layers[i] = new ActivationLayer(name, _specs[i].Function, plan.Widths[i], maxBatch, _specs[i].Slope);
                    break;
            }
        }
        _weightedLayers = _layers.OfType<IWeightedLayer>().ToArray();
        _inputGradients = new float[_specs.Length][];
        for (int i = _specs.Length - 1; i >= 0; i--)
        {
            _inputGradients[i] = i == 0 ? []
                : _layers[i] is FlattenLayer && i + 1 < _specs.Length ? _inputGradients[i + 1]
                : new float[maxBatch * _layers[i].InputSize];
        }
    }

    /// <summary>C·H·W for an image input.</summary>
    public int InputSize { get; }

    /// <summary>The input image's shape, or null for a vector input.</summary>
    public ImageShape? InputImage { get; }

    public int OutputSize { get; }

    public int MaxBatch { get; }

    public IReadOnlyList<ILayer> Layers => _layers;

    public IReadOnlyList<Dense> DenseLayers => _denseLayers;

    public IReadOnlyList<Conv2dLayer> ConvLayers => _convLayers;

    /// <summary>Every Conv2d and Dense layer in network order; layer l's weight and bias are
    /// <see cref="ParameterBlock.Views"/>[2l] and [2l + 1].</summary>
    public IReadOnlyList<IWeightedLayer> WeightedLayers => _weightedLayers;

    public IReadOnlyList<LayerSpec> Specs => _specs;

    public ParameterBlock Parameters { get; }

    public IBlas Blas => _blas;

    /// <summary>x:(batch, InputSize) → (batch, OutputSize), a view of the last layer's output buffer.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch)
    {
        Shapes.RequireWithin(batch, MaxBatch, "batch", "maxBatch");
        Shapes.Require(x, batch * InputSize, nameof(x));
        ReadOnlySpan<float> h = x;
        float[]? buffer = null;   // the array h lives in, once it is a layer's output
        for (int i = 0; i < _layers.Length; i++)
        {
            // A Dense or Conv2d layer reads the previous layer's buffer in place instead of caching a copy.
            h = LayerBuffers.Forward(_layers[i], buffer, h, batch);
            buffer = LayerBuffers.Output(_layers[i]);
        }
        return h;
    }

    /// <summary>Accumulates every parameter gradient from dy:(batch, OutputSize); skips the input gradient.</summary>
    public void Backward(ReadOnlySpan<float> dy, int batch) => Backward(dy, [], batch);

    /// <summary>Accumulates every parameter gradient and overwrites dx:(batch, InputSize) (dx may be empty).</summary>
    public void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Shapes.RequireWithin(batch, MaxBatch, "batch", "maxBatch");
        Shapes.Require(dy, batch * OutputSize, nameof(dy));
        if (!dx.IsEmpty)
        {
            Shapes.Require(dx, batch * InputSize, nameof(dx));
        }
        ReadOnlySpan<float> upstream = dy;
        for (int i = _layers.Length - 1; i >= 0; i--)
        {
            Span<float> downstream = i == 0 ? dx : _inputGradients[i].AsSpan(0, batch * _layers[i].InputSize);
            _layers[i].Backward(upstream, downstream, batch);
            upstream = downstream;
        }
    }

    /// <summary>dL/d(input of layer <paramref name="layer"/>) from the last Backward, (batch, layer's InputSize);
    /// for layer ≥ 1 this is the gradient at the previous layer's output (dead-ReLU and saturation probes read it).</summary>
    public ReadOnlySpan<float> InputGradient(int layer, int batch)
    {
        if (layer < 1 || layer >= _layers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"layer is {layer} but must be in 1..{_layers.Length - 1}.");
        }
        Shapes.RequireWithin(batch, MaxBatch, "batch", "maxBatch");
        return _inputGradients[layer].AsSpan(0, batch * _layers[layer].InputSize);
    }

    public void ZeroGrad() => Parameters.ZeroGradients();

    /// <summary>Draws every Conv2d and Dense layer's weights then bias, first layer first (see
    /// <see cref="Initializers.Apply"/> and <see cref="Initializers.ApplyConv"/>).</summary>
    public void Initialize(InitScheme scheme, double scale, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        foreach (ILayer layer in _layers)
        {
            if (layer is Dense dense)
            {
                Initializers.Apply(scheme, dense.Weight, dense.Bias, dense.InputSize, dense.OutputSize, scale, rng);
            }
            else if (layer is Conv2dLayer conv)
            {
                Kernels.Conv2dShape s = conv.Shape;
                Initializers.ApplyConv(scheme, conv.Weight, conv.Bias, s.InChannels, s.OutChannels, s.KernelH, s.KernelW, scale, rng);
            }
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
        var copy = new Mlp(_blas, _specs, InputImage, InputSize, MaxBatch);
        Parameters.Values.CopyTo(copy.Parameters.Values);
        return copy;
    }

    /// <summary>Writes "DQNS", the format version, the architecture (input size, input image or 0×0×0, and per layer
    /// its kind, width or filters, activation, slope and convolution window), the parameter count and the parameters.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        BinaryFormat.WriteHeader(writer, Magic, FormatVersion);
        writer.Write(InputSize);
        ImageShape image = InputImage ?? default;
        writer.Write(image.Channels);
        writer.Write(image.Height);
        writer.Write(image.Width);
        writer.Write(_specs.Length);
        foreach (LayerSpec spec in _specs)
        {
            writer.Write((int)spec.Kind);
            writer.Write(spec.OutputSize);
            writer.Write((int)spec.Function);
            writer.Write(spec.Slope);
            ConvWindow window = spec.Window;
            writer.Write(window.KernelH);
            writer.Write(window.KernelW);
            writer.Write(window.StrideH);
            writer.Write(window.StrideW);
            writer.Write(window.PaddingH);
            writer.Write(window.PaddingW);
        }
        writer.Write(Parameters.Count);
        BinaryFormat.WriteFloats(writer, Parameters.Values);
    }

    /// <summary>Reads a file written by <see cref="Save"/> (or a dense-only network of format 1) into this network.
    /// Header, version and the whole architecture are checked before any parameter is read; a mismatch throws
    /// InvalidDataException and leaves the parameters untouched unless the payload itself is truncated.</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int version = BinaryFormat.ReadHeader(reader, Magic, DenseOnlyFormatVersion, FormatVersion, "DqnStudy network");
        bool windows = version >= FormatVersion;
        BinaryFormat.Expect(reader, InputSize, "input size");
        ImageShape image = InputImage ?? default;
        if (windows)
        {
            BinaryFormat.Expect(reader, image.Channels, "input channels");
            BinaryFormat.Expect(reader, image.Height, "input height");
            BinaryFormat.Expect(reader, image.Width, "input width");
        }
        else if (InputImage is not null)
        {
            throw new InvalidDataException($"The file holds a network on vectors (format 1) but this one reads {image} images (size mismatch).");
        }
        BinaryFormat.Expect(reader, _specs.Length, "layer count");
        for (int i = 0; i < _specs.Length; i++)
        {
            BinaryFormat.Expect(reader, (int)_specs[i].Kind, $"layer {i} kind");
            BinaryFormat.Expect(reader, _specs[i].OutputSize, $"layer {i} output size");
            BinaryFormat.Expect(reader, (int)_specs[i].Function, $"layer {i} activation");
            float slope = BinaryFormat.ReadSingle(reader, $"layer {i} slope");
            if (BitConverter.SingleToInt32Bits(slope) != BitConverter.SingleToInt32Bits(_specs[i].Slope))
            {
                throw new InvalidDataException($"layer {i} slope is {slope} in the file but {_specs[i].Slope} here (size mismatch).");
            }
            if (windows)
            {
                ConvWindow window = _specs[i].Window;
                BinaryFormat.Expect(reader, window.KernelH, $"layer {i} kernel height");
                BinaryFormat.Expect(reader, window.KernelW, $"layer {i} kernel width");
                BinaryFormat.Expect(reader, window.StrideH, $"layer {i} stride height");
                BinaryFormat.Expect(reader, window.StrideW, $"layer {i} stride width");
                BinaryFormat.Expect(reader, window.PaddingH, $"layer {i} padding height");
                BinaryFormat.Expect(reader, window.PaddingW, $"layer {i} padding width");
            }
        }
        BinaryFormat.Expect(reader, Parameters.Count, "parameter count");
        BinaryFormat.ReadFloats(reader, Parameters.Values, "the parameters");
    }

    private void RequireSameArchitecture(Mlp source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.InputSize != InputSize || source.InputImage != InputImage || !source._specs.AsSpan().SequenceEqual(_specs))
        {
            throw new ArgumentException(
                $"{nameof(source)} has architecture {source.Describe()} but this network is {Describe()}.", nameof(source));
        }
    }

    /// <summary>"4 → fc 120 → relu → fc 84 → relu → fc 2"; "4×10×10 → conv 16 3×3 → relu → flatten → fc 128 → relu → fc 3".</summary>
    public string Describe() =>
        (InputImage?.ToString() ?? InputSize.ToString(System.Globalization.CultureInfo.InvariantCulture)) +
        string.Concat(_specs.Select(s => " → " + s.Kind switch
        {
            LayerKind.Dense => "fc " + s.OutputSize,
            LayerKind.Conv2d => "conv " + s.OutputSize + " " + s.Window,
            LayerKind.Flatten => "flatten",
            _ => s.Function.ToString().ToLowerInvariant() + (s.Function == Activation.LeakyRelu ? "(" + s.Slope + ")" : ""),
        }));

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
