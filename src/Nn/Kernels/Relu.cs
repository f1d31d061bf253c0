using System.Numerics.Tensors;

namespace DqnStudy.Nn.Kernels;

/// <summary>y = max(0, x); relu'(0) = 0 as in torch.</summary>
public static class Relu
{
    /// <summary>x:(N)  y:(N), N = batch·width; y may alias x.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int count)
    {
        Shapes.Require(x, count, nameof(x));
        Shapes.Require(y, count, nameof(y));
        TensorPrimitives.Max(x[..count], 0f, y[..count]);
    }

    /// <summary>dx = dy where y &gt; 0, else 0 (overwritten). Takes the output: y &gt; 0 exactly when x &gt; 0,
    /// so no copy of the input is kept.  y:(N)  dy:(N)  dx:(N).</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int count)
    {
        Shapes.Require(y, count, nameof(y));
        Shapes.Require(dy, count, nameof(dy));
        Shapes.Require(dx, count, nameof(dx));
        for (int i = 0; i < count; i++)
        {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }
}
