using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace DqnStudy.Nn.Kernels;

/// <summary>y = max(0, x); relu'(0) = 0 as in torch.</summary>
public static class Relu
{
    /// <summary>x:(N)  y:(N), N = batch·width; y may alias x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int count)
    {
        Shapes.Require(x, count, nameof(x));
        Shapes.Require(y, count, nameof(y));
        // TensorPrimitives.Max propagates NaN as torch.relu does; Vector.Max would turn a NaN into 0 and hide
        // exactly the divergence the studies look for.
        TensorPrimitives.Max(x[..count], 0f, y[..count]);
    }

    /// <summary>dx = dy where y &gt; 0, else 0 (overwritten). Takes the output: y &gt; 0 exactly when x &gt; 0,
    /// so no copy of the input is kept.  y:(N)  dy:(N)  dx:(N).</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int count)
    {
        Shapes.Require(y, count, nameof(y));
        Shapes.Require(dy, count, nameof(dy));
        Shapes.Require(dx, count, nameof(dx));
        ReadOnlySpan<Vector<float>> yv = MemoryMarshal.Cast<float, Vector<float>>(y[..count]);
        ReadOnlySpan<Vector<float>> dyv = MemoryMarshal.Cast<float, Vector<float>>(dy[..count]);
        Span<Vector<float>> dxv = MemoryMarshal.Cast<float, Vector<float>>(dx[..count]);
        for (int v = 0; v < dxv.Length; v++)
        {
            dxv[v] = Vector.ConditionalSelect(Vector.GreaterThan(yv[v], Vector<float>.Zero), dyv[v], Vector<float>.Zero);
        }
        for (int i = dxv.Length * Vector<float>.Count; i < count; i++)
        {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }
}
