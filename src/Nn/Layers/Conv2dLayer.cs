using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;

namespace DqnStudy.Nn.Layers;

/// <summary>torch.nn.Conv2d on NCHW rows: x (batch, C·H·W) → y (batch, O·Ho·Wo), W (O, C, kH, kW) and b (O) views
/// into a ParameterBlock (stored as "conv1.weight" (O, C·kH·kW) and "conv1.bias" (O)).</summary>
public sealed class Conv2dLayer : IWeightedLayer
{
    private readonly IBlas blas;
    private readonly ParameterBlock parameters;
    private readonly ParameterView weight;
    private readonly ParameterView bias;
    private readonly int maxBatch;
    private readonly float[] input;      // (maxBatch, C·H·W): the cache Backward needs for dW
    private float[]? borrowedInput;      // instead of a copy: the previous layer's output buffer inside an Mlp
    private readonly float[] output;     // (maxBatch, O·Ho·Wo)
    private readonly float[] workspace;  // scratch: one sample's patch matrix, a padded input (Conv2d.WorkspaceSize)

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
        this.blas = blas;
        this.parameters = parameters;
        weight = parameters.Views[viewIndex];
        bias = parameters.Views[viewIndex + 1];
        Shapes.RequireExact(weight.Length, shape.WeightSize, name + ".weight length");
        Shapes.RequireExact(bias.Length, shape.OutChannels, name + ".bias length");
        Shape = shape;
        Algorithm = Conv2d.Resolve(algorithm, shape);
        this.maxBatch = maxBatch;
        input = new float[maxBatch * shape.InputSize];
        output = new float[maxBatch * shape.OutputSize];
        workspace = new float[Conv2d.WorkspaceSize(shape, maxBatch)];
    }

    public string Name { get; }

    public Conv2dShape Shape { get; }

    /// <summary>The algorithm this layer runs (Auto resolved for its shape).</summary>
    public Conv2dAlgorithm Algorithm { get; }

    public int InputSize => Shape.InputSize;

    public int OutputSize => Shape.OutputSize;

    public ParameterBlock Parameters => parameters;

    /// <summary>w: (O, C, kH, kW) row-major.</summary>
    public Span<float> Weight => parameters.ValuesOf(weight);

    /// <summary>b: (O).</summary>
    public Span<float> Bias => parameters.ValuesOf(bias);

    public Span<float> WeightGrad => parameters.GradientsOf(weight);

    public Span<float> BiasGrad => parameters.GradientsOf(bias);

    public ReadOnlySpan<float> Output => output;

    internal float[] OutputBuffer => output;

    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch)
    {
        Shapes.RequireWithin(batch, maxBatch, "batch", "maxBatch");
        int n = batch * InputSize;
        Shapes.Require(x, n, nameof(x));
        x[..n].CopyTo(input);
        borrowedInput = null;
        Conv2d.Forward(blas, input, Weight, Bias, output, workspace, batch, Shape, Algorithm);
        return output.AsSpan(0, batch * OutputSize);
    }

    /// <summary>Forward from a buffer that stays unchanged until Backward (the previous layer's output in an Mlp):
    /// the cache is a reference to it instead of a copy.</summary>
    internal ReadOnlySpan<float> ForwardBorrowed(float[] x, int batch)
    {
        Shapes.RequireWithin(batch, maxBatch, "batch", "maxBatch");
        Shapes.Require(x, batch * InputSize, nameof(x));
        borrowedInput = x;
        Conv2d.Forward(blas, x, Weight, Bias, output, workspace, batch, Shape, Algorithm);
        return output.AsSpan(0, batch * OutputSize);
    }

    public void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Shapes.RequireWithin(batch, maxBatch, "batch", "maxBatch");
        // dxBeta 0: the layer contract overwrites dx while the kernel's parameter gradients accumulate.
        Conv2d.Backward(blas, borrowedInput ?? input, Weight, dy, dx, WeightGrad, BiasGrad, workspace, batch, Shape,
                        dxBeta: 0f, Algorithm);
    }

    internal static (string Name, int Rows, int Cols)[] Tensors(string name, Conv2dShape shape) =>
        [(name + ".weight", shape.OutChannels, shape.FanIn), (name + ".bias", shape.OutChannels, 1)];
}
