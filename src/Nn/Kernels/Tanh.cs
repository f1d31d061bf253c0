using System.Numerics.Tensors;

namespace DqnStudy.Nn.Kernels;

/// <summary>y = tanh(x); the local gradient 1 − y² is computed from the output, as torch does.</summary>
public static class Tanh
{
    /// <summary>x:(N)  y:(N).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int count)
    {
        Shapes.Require(x, count, nameof(x));
        Shapes.Require(y, count, nameof(y));
        TensorPrimitives.Tanh(x[..count], y[..count]);
    }

    /// <summary>y = tanh(x) accurate to a few ulps and exactly x near 0 (signed zeros kept): the Cephes form of <see cref="CephesActivations"/>, which the recurrent cells use
    /// (<see cref="Forward"/> keeps TensorPrimitives, whose numbers the MLP studies were run with). x and y may be the
    /// same span.  x:(N)  y:(N).</summary>
    public static void Exact(ReadOnlySpan<float> x, Span<float> y) => CephesActivations.Map<CephesActivations.TanhFunction>(x, y);

    /// <summary>x = tanh(x) in place, in the <see cref="Exact(ReadOnlySpan{float}, Span{float})"/> form.  x:(N).</summary>
    public static void Exact(Span<float> x) => Exact(x, x);

    /// <summary>dx = dy·(1 − y²) (overwritten).  y:(N)  dy:(N)  dx:(N).</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int count)
    {
        Shapes.Require(y, count, nameof(y));
        Shapes.Require(dy, count, nameof(dy));
        Shapes.Require(dx, count, nameof(dx));
        for (int i = 0; i < count; i++)
        {
            float t = y[i];
            dx[i] = dy[i] * (1f - t * t);
        }
    }
}
