namespace DqnStudy.Nn.Kernels;

/// <summary>y = x if x &gt; 0 else slope·x; the derivative at 0 is slope, as in torch.</summary>
public static class LeakyRelu
{
    /// <summary>x:(N)  y:(N).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float slope, int count)
    {
        Shapes.Require(x, count, nameof(x));
        Shapes.Require(y, count, nameof(y));
        for (int i = 0; i < count; i++)
        {
            float v = x[i];
            y[i] = v > 0f ? v : slope * v;
        }
    }

    /// <summary>dx = dy·f'(x) (overwritten). Needs the input: with slope ≤ 0 the output's sign does not tell.
    /// x:(N)  dy:(N)  dx:(N).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float slope, int count)
    {
        Shapes.Require(x, count, nameof(x));
        Shapes.Require(dy, count, nameof(dy));
        Shapes.Require(dx, count, nameof(dx));
        for (int i = 0; i < count; i++)
        {
            dx[i] = x[i] > 0f ? dy[i] : slope * dy[i];
        }
    }
}
