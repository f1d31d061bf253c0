using System.Numerics.Tensors;

namespace DqnStudy.Nn.Kernels;

/// <summary>y = 1 / (1 + e^−x). The local gradient y(1−y) peaks at 0.25 and is exactly 0 once y rounds to 1:
/// the saturation the sigmoid study measures.</summary>
public static class Sigmoid
{
    /// <summary>x:(N)  y:(N).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int count)
    {
        Shapes.Require(x, count, nameof(x));
        Shapes.Require(y, count, nameof(y));
        TensorPrimitives.Sigmoid(x[..count], y[..count]);
    }

    /// <summary>y = σ(x) = 1/(1+e^−x) accurate to a few ulps; e^−x = +∞ for x below −88.7 gives exactly 0, e^−x = 0 above 87.3 gives exactly 1: the Cephes form of <see cref="CephesActivations"/>, which the recurrent cells use
    /// (<see cref="Forward"/> keeps TensorPrimitives, whose numbers the MLP studies were run with). x and y may be the
    /// same span.  x:(N)  y:(N).</summary>
    public static void Exact(ReadOnlySpan<float> x, Span<float> y) => CephesActivations.Map<CephesActivations.SigmoidFunction>(x, y);

    /// <summary>x = sigmoid(x) in place, in the <see cref="Exact(ReadOnlySpan{float}, Span{float})"/> form.  x:(N).</summary>
    public static void Exact(Span<float> x) => Exact(x, x);

    /// <summary>dx = dy·y(1−y) from the output, as torch does (overwritten).  y:(N)  dy:(N)  dx:(N).</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int count)
    {
        Shapes.Require(y, count, nameof(y));
        Shapes.Require(dy, count, nameof(dy));
        Shapes.Require(dx, count, nameof(dx));
        for (int i = 0; i < count; i++)
        {
            float s = y[i];
            dx[i] = dy[i] * (s * (1f - s));
        }
    }
}
