namespace DqnStudy.Nn.Recurrent;

/// <summary>
/// Scalar tanh and sigmoid over spans, in place. TensorPrimitives' vectorised versions trade accuracy for speed
/// (its Tanh(0) is −6e-8, not 0), which breaks the exactly linear zero-input RNN the spectral study relies on,
/// so the cells use MathF here. Private to Recurrent until the core's activation kernels are settled.
/// </summary>
internal static class RecurrentActivations
{
    public static void Tanh(Span<float> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = MathF.Tanh(x[i]);
        }
    }

    /// <summary>σ(x) = 1/(1+e^−x); e^−x overflowing to +∞ for very negative x gives exactly 0, as wanted.</summary>
    public static void Sigmoid(Span<float> x)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 1f / (1f + MathF.Exp(-x[i]));
        }
    }
}
