using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;

namespace DqnStudy.Nn.Layers;

/// <summary>torch.nn.Conv2d on NCHW rows: x (batch, C·H·W) → y (batch, O·Ho·Wo), W (O, C, kH, kW) and b (O) views
/// into a ParameterBlock (stored as "conv1.weight" (O, C·kH·kW) and "conv1.bias" (O)).</summary>
public sealed class Conv2dLayer : IWeightedLayer
{
    private readonly IBlas _blas;
    private readonly ParameterBlock _parameters;
    private readonly ParameterView _weight;
    private readonly ParameterView _bias;
    private readonly int _maxBatch;
    private readonly float[] _input;      // (maxBatch, C·H·W): the cache Backward needs for dW
    private float[]? _borrowedInput;      // instead of a copy: the previous layer's output buffer inside an Mlp
    private readonly float[] _output;     // (maxBatch, O·Ho·Wo)
    private readonly float[] _workspace;  // scratch: one sample's patch matrix, a padded input (Conv2d.WorkspaceSize)

    /// <summary>A stand-alone layer with its own parameter block (zero weights until initialised).</summary>
    public Conv2dLayer(string name, IBlas blas, Conv2dShape shape, int maxBatch, Conv2dAlgorithm algorithm = Conv2dAlgorithm.Auto)
        : this(name, blas, shape, new ParameterBlock(Tensors(name, shape)), 0, maxBatch, algorithm)
    {
    }

    /// <summary>A layer whose weight and bias are views[viewIndex] and views[viewIndex + 1] of a shared block.</summary>
    internal Conv2dLayer(string name, IBlas blas, Conv2dShape shape, ParameterBlock parameters, int viewIndex, int maxBatch,
                         Conv2dAlgorithm algorithm = Conv2dAlgorithm.Auto)
    {
        ArgumentNullException.ThrowIfNull(blas);
        ArgumentNullException.ThrowIfNull(parameters);
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        Name = name;
        _blas = blas;
        _parameters = parameters;
        _weight = parameters.Views[viewIndex];
        _bias = parameters.Views[viewIndex + 1];
        Shapes.RequireExact(_weight.Length, shape.WeightSize, name + ".weight length");
        Shapes.RequireExact(_bias.Length, shape.OutChannels, name + ".bias length");
        Shape = shape;
        Algorithm = Conv2d.Resolve(algorithm, shape);
        _maxBatch = maxBatch;
        _input = new float[maxBatch * shape.InputSize];
        _output = new float[maxBatch * shape.OutputSize];
        _workspace = new float[Conv2d.WorkspaceSize(shape, maxBatch)];
    }

    public string Name { get; }

    public Conv2dShape Shape { get; }

    /// <summary>The algorithm this layer runs (Auto resolved for its shape).</summary>
    public Conv2dAlgorithm Algorithm { get; }

    public int InputSize => Shape.InputSize;

    public int OutputSize => Shape.OutputSize;

    public ParameterBlock Parameters => _parameters;

    /// <summary>w: (O, C, kH, kW) row-major.</summary>
    public Span<float> Weight => _parameters.ValuesOf(_weight);

    /// <summary>b: (O).</summary>
    public Span<float> Bias => _parameters.ValuesOf(_bias);

    public Span<float> WeightGrad => _parameters.GradientsOf(_weight);

    public Span<float> BiasGrad => _parameters.GradientsOf(_bias);

    public ReadOnlySpan<float> Output => _output;

    internal float[] OutputBuffer => _output;

    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        int n = batch * InputSize;
        Shapes.Require(x, n, nameof(x));
        x[..n].CopyTo(_input);
        _borrowedInput = null;
        Conv2d.Forward(_blas, _input, Weight, Bias, _output, _workspace, batch, Shape, Algorithm);
        return _output.AsSpan(0, batch * OutputSize);
    }

    /// <summary>Forward from a buffer that stays unchanged until Backward (the previous layer's output in an Mlp):
    /// the cache is a reference to it instead of a copy.</summary>
    internal ReadOnlySpan<float> ForwardBorrowed(float[] x, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        Shapes.Require(x, batch * InputSize, nameof(x));
        _borrowedInput = x;
        Conv2d.Forward(_blas, x, Weight, Bias, _output, _workspace, batch, Shape, Algorithm);
        return _output.AsSpan(0, batch * OutputSize);
    }

    public void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        // dxBeta 0: the layer contract overwrites dx while the kernel's parameter gradients accumulate.
        Conv2d.Backward(_blas, _borrowedInput ?? _input, Weight, dy, dx, WeightGrad, BiasGrad, _workspace, batch, Shape,
                        dxBeta: 0f, Algorithm);
    }

    internal static (string Name, int Rows, int Cols)[] Tensors(string name, Conv2dShape shape) =>
        [(name + ".weight", shape.OutChannels, shape.FanIn), (name + ".bias", shape.OutChannels, 1)];
}
