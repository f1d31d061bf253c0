using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;

namespace DqnStudy.Nn.Layers;

/// <summary>y = x·Wᵀ + b with W (Out, In) as in torch.nn.Linear. W and b are views into a ParameterBlock.</summary>
public sealed class Dense : IWeightedLayer
{
    private readonly IBlas _blas;
    private readonly ParameterBlock _parameters;
    private readonly ParameterView _weight;
    private readonly ParameterView _bias;
    private readonly int _maxBatch;
    private readonly float[] _input;    // (maxBatch, In): the cache Backward needs for dW
    private float[]? _borrowedInput;    // instead of a copy: the previous layer's output buffer inside an Mlp
    private readonly float[] _output;   // (maxBatch, Out)

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
        _blas = blas;
        _parameters = parameters;
        _weight = parameters.Views[viewIndex];
        _bias = parameters.Views[viewIndex + 1];
        InputSize = _weight.Cols;
        OutputSize = _weight.Rows;
        _maxBatch = maxBatch;
        _input = new float[maxBatch * InputSize];
        _output = new float[maxBatch * OutputSize];
    }

    public string Name { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    public ParameterBlock Parameters => _parameters;

    /// <summary>w: (Out, In) row-major.</summary>
    public Span<float> Weight => _parameters.ValuesOf(_weight);

    /// <summary>b: (Out).</summary>
    public Span<float> Bias => _parameters.ValuesOf(_bias);

    public Span<float> WeightGrad => _parameters.GradientsOf(_weight);

    public Span<float> BiasGrad => _parameters.GradientsOf(_bias);

    public ReadOnlySpan<float> Output => _output;

    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        int n = batch * InputSize;
        Shapes.Require(x, n, nameof(x));
        x[..n].CopyTo(_input);
        _borrowedInput = null;
        Linear.Forward(_blas, _input, Weight, Bias, _output, batch, InputSize, OutputSize);
        return _output.AsSpan(0, batch * OutputSize);
    }

    /// <summary>Forward from a buffer that stays unchanged until Backward (the previous layer's output in an
    /// Mlp): the cache is a reference to it, which saves copying (batch, In) floats every forward.</summary>
    internal ReadOnlySpan<float> ForwardBorrowed(float[] x, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        Shapes.Require(x, batch * InputSize, nameof(x));
        _borrowedInput = x;
        Linear.Forward(_blas, x, Weight, Bias, _output, batch, InputSize, OutputSize);
        return _output.AsSpan(0, batch * OutputSize);
    }

    internal float[] OutputBuffer => _output;

    public void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        // dxBeta 0: the layer contract overwrites dx while the kernel's parameter gradients accumulate.
        Linear.Backward(_blas, _borrowedInput ?? _input, Weight, dy, dx, WeightGrad, BiasGrad, batch, InputSize, OutputSize, dxBeta: 0f);
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
