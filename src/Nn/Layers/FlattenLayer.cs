using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DqnStudy.Nn.Layers;

/// <summary>
/// torch's x.view(B, −1) on an NCHW image: x_flat[n][(c·H + h)·W + w] = x[n][c][h][w]. A layer hands its output on
/// as (batch, C·H·W) rows in exactly that order already, so flattening moves no data: inside an <see cref="Mlp"/>
/// the flatten's output is the previous layer's buffer and its input gradient is the next layer's (the same array);
/// only a stand-alone flatten copies.
/// </summary>
public sealed class FlattenLayer : ILayer
{
    private readonly int _maxBatch;
    private readonly ILayer? _source;   // inside an Mlp: the layer whose output this one re-reads in place
    private readonly float[] _copy;     // stand-alone only: (maxBatch, C·H·W)

    /// <summary>A stand-alone flatten: Forward copies x into its own buffer.</summary>
    public FlattenLayer(string name, ImageShape shape, int maxBatch)
        : this(name, shape, maxBatch, null)
    {
    }

    /// <summary>A flatten of <paramref name="source"/>'s output (null: of the network's input, which it must copy).</summary>
    internal FlattenLayer(string name, ImageShape shape, int maxBatch, ILayer? source)
    {
        Shapes.RequirePositive(shape.Channels, nameof(shape) + ".Channels");
        Shapes.RequirePositive(shape.Height, nameof(shape) + ".Height");
        Shapes.RequirePositive(shape.Width, nameof(shape) + ".Width");
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        if (source is not null && source.OutputSize != shape.Size)
        {
            throw new ArgumentException($"{name} flattens {shape} ({shape.Size} values) but {source.Name} outputs {source.OutputSize}.", nameof(source));
        }
        Name = name;
        Shape = shape;
        _maxBatch = maxBatch;
        _source = source;
        _copy = source is null ? new float[maxBatch * shape.Size] : [];
    }

    public string Name { get; }

    public ImageShape Shape { get; }

    public int InputSize => Shape.Size;

    public int OutputSize => Shape.Size;

    public ReadOnlySpan<float> Output => _source is null ? _copy : _source.Output;

    /// <summary>The buffer the output lives in: the source layer's when there is one.</summary>
    internal float[]? OutputBuffer => _source is null ? _copy : LayerBuffers.Output(_source);

    /// <summary>Inside a network x must be the source layer's output, which is returned as it is (no copy).</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        int n = batch * InputSize;
        Shapes.Require(x, n, nameof(x));
        if (_source is null)
        {
            x[..n].CopyTo(_copy);
            return _copy.AsSpan(0, n);
        }
        if (!SameStart(x, _source.Output))
        {
            throw new InvalidOperationException($"{Name} reshapes {_source.Name}'s output in place; it cannot flatten another buffer.");
        }
        return x[..n];
    }

    /// <summary>dx = dy, reshaped back; nothing moves when they are the same memory (inside a network).</summary>
    public void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        Shapes.RequireWithin(batch, _maxBatch, "batch", "maxBatch");
        int n = batch * InputSize;
        Shapes.Require(dy, n, nameof(dy));
        if (dx.IsEmpty)
        {
            return;
        }
        Shapes.Require(dx, n, nameof(dx));
        if (!SameStart(dy, dx))
        {
            dy[..n].CopyTo(dx);
        }
    }

    private static bool SameStart(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        Unsafe.AreSame(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b));
}
