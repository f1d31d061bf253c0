using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;

namespace DqnStudy.Nn.Layers;

/// <summary>y = x·Wᵀ + b with W (Out, In) as in torch.nn.Linear. W and b are views into a ParameterBlock.</summary>
public sealed class Dense : IWeightedLayer
{
    private readonly IBlas blas;
    private readonly ParameterBlock parameters;
    private readonly ParameterView weight;
    private readonly ParameterView bias;
    private readonly int maxBatch;
    private readonly float[] input;    // (maxBatch, In): the cache Backward needs for dW
    private float[]? borrowedInput;    // instead of a copy: the previous layer's output buffer inside an Mlp
    private readonly float[] output;   // (maxBatch, Out)

    /// <summary>A stand-alone layer with its own parameter block (zero weights until initialised).</summary>
    public Dense(string name, IBlas blas, int inputSize, int outputSize, int maxBatch)
        : this(name, blas, NewBlock(name, inputSize, outputSize), 0, maxBatch)
    {
    }

    /// <summary>A layer whose weight and bias are views[viewIndex] and views[viewIndex + 1] of a shared block.</summary>
    internal Dense(string name, IBlas blas, ParameterBlock parameters, int viewIndex, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(blas);
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        Name = name;
        this.blas = blas;
        this.parameters = parameters;
        weight = parameters.Views[viewIndex];
        bias = parameters.Views[viewIndex + 1];
        InputSize = weight.Cols;
        OutputSize = weight.Rows;
        this.maxBatch = maxBatch;
        input = new float[maxBatch * InputSize];
        output = new float[maxBatch * OutputSize];
    }

    public string Name { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    public ParameterBlock Parameters => parameters;

    /// <summary>w: (Out, In) row-major.</summary>
    public Span<float> Weight => parameters.ValuesOf(weight);

    /// <summary>b: (Out).</summary>
    public Span<float> Bias => parameters.ValuesOf(bias);

    public Span<float> WeightGrad => parameters.GradientsOf(weight);

    public Span<float> BiasGrad => parameters.GradientsOf(bias);

    public ReadOnlySpan<float> Output => output;

    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch)
    {
        Shapes.RequireWithin(batch, maxBatch, "batch", "maxBatch");
        int n = batch * InputSize;
        Shapes.Require(x, n, nameof(x));
        x[..n].CopyTo(input);
        borrowedInput = null;
        Linear.Forward(blas, input, Weight, Bias, output, batch, InputSize, OutputSize);
        return output.AsSpan(0, batch * OutputSize);
    }

    /// <summary>Forward from a buffer that stays unchanged until Backward (the previous layer's output in an
    /// Mlp): the cache is a reference to it, which saves copying (batch, In) floats every forward.</summary>
    internal ReadOnlySpan<float> ForwardBorrowed(float[] x, int batch)
    {
        Shapes.RequireWithin(batch, maxBatch, "batch", "maxBatch");
        Shapes.Require(x, batch * InputSize, nameof(x));
        borrowedInput = x;
        Linear.Forward(blas, x, Weight, Bias, output, batch, InputSize, OutputSize);
        return output.AsSpan(0, batch * OutputSize);
    }

    internal float[] OutputBuffer => output;

    public void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Shapes.RequireWithin(batch, maxBatch, "batch", "maxBatch");
        // dxBeta 0: the layer contract overwrites dx while the kernel's parameter gradients accumulate.
        Linear.Backward(blas, borrowedInput ?? input, Weight, dy, dx, WeightGrad, BiasGrad, batch, InputSize, OutputSize, dxBeta: 0f);
    }

    internal static (string Name, int Rows, int Cols)[] Tensors(string name, int inputSize, int outputSize) =>
        [(name + ".weight", outputSize, inputSize), (name + ".bias", outputSize, 1)];

    private static ParameterBlock NewBlock(string name, int inputSize, int outputSize)
    {
        Shapes.RequirePositive(inputSize, nameof(inputSize));
        Shapes.RequirePositive(outputSize, nameof(outputSize));
        return new ParameterBlock(Tensors(name, inputSize, outputSize));
    }
}
