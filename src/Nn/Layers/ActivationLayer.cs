using DqnStudy.Nn.Kernels;

namespace DqnStudy.Nn.Layers;

/// <summary>An elementwise nonlinearity; no parameters. Caches its output (relu, sigmoid, tanh take the
/// derivative from it, as torch does) and, for leaky ReLU only, a copy of its input.</summary>
public sealed class ActivationLayer : ILayer
{
    private readonly int _maxBatch;
    private readonly float[] _output;   // (maxBatch, Size)
    private readonly float[] _input;    // (maxBatch, Size) for LeakyRelu, else empty

    public ActivationLayer(string name, Activation function, int size, int maxBatch, float slope = 0.01f)
    {
        Shapes.RequirePositive(size, nameof(size));
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        if (!Enum.IsDefined(function))
        {
            throw new ArgumentOutOfRangeException(nameof(function), function, "Unknown activation.");
        }
        Name = name;
        Function = function;
        Slope = slope;
        InputSize = size;
        OutputSize = size;
        _maxBatch = maxBatch;
        _output = new float[maxBatch * size];
        _input = function == Activation.LeakyRelu ? new float[maxBatch * size] : [];
    }

    public string Name { get; }

    public Activation Function { get; }

    /// <summary>The negative-side slope of LeakyRelu (unused by the others).</summary>
    public float Slope { get; }

    public int InputSize { get; }

    public int OutputSize { get; }

    public ReadOnlySpan<float> Output => _output;

    internal float[] OutputBuffer => _output;

    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        int n = batch * InputSize;
        Shapes.Require(x, n, nameof(x));
        switch (Function)
        {
            case Activation.Identity: x[..n].CopyTo(_output); break;
            case Activation.Relu: Relu.Forward(x, _output, n); break;
            case Activation.LeakyRelu: x[..n].CopyTo(_input); LeakyRelu.Forward(_input, _output, Slope, n); break;
            case Activation.Sigmoid: Sigmoid.Forward(x, _output, n); break;
            case Activation.Tanh: Tanh.Forward(x, _output, n); break;
        }
        return _output.AsSpan(0, n);
    }

    public void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        int n = batch * InputSize;
        Shapes.Require(dy, n, nameof(dy));
        if (dx.IsEmpty)
        {
            return;   // no parameters: without an input gradient there is nothing to compute
        }
        Shapes.Require(dx, n, nameof(dx));
        switch (Function)
        {
            case Activation.Identity: dy[..n].CopyTo(dx); break;
            case Activation.Relu: Relu.Backward(_output, dy, dx, n); break;
            case Activation.LeakyRelu: LeakyRelu.Backward(_input, dy, dx, Slope, n); break;
            case Activation.Sigmoid: Sigmoid.Backward(_output, dy, dx, n); break;
            case Activation.Tanh: Tanh.Backward(_output, dy, dx, n); break;
        }
    }
}
