namespace DqnStudy.Nn.Init;

/// <summary>
/// Seeded weight initialisers over spans, following torch.nn.init. Every method takes an explicit
/// <see cref="Random"/> (never a shared static one) and draws the elements in order, so one seed gives
/// bit-identical weights. Draws are computed in double and rounded once to float.
/// </summary>
public static class Initializers
{
    /// <summary>
    /// Initialises one Dense layer. w:(Out, In) with fanIn = In, fanOut = Out; b:(Out). W is drawn first, then b.
    /// TorchDefault: torch.nn.Linear's reset_parameters, kaiming_uniform(a=√5) for W, i.e. U(±1/√fanIn), and
    ///   U(±1/√fanIn) for b. Xavier*, Kaiming* (fan_in, ReLU gain √2) and Normal zero the bias.
    /// Normal: N(0, scale²), the sigmoid study's "large weights". For every other scheme <paramref name="scale"/>
    ///   multiplies the bound or standard deviation (1 reproduces torch).
    /// </summary>
    public static void Apply(InitScheme scheme, Span<float> w, Span<float> b, int fanIn, int fanOut, double scale, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Shapes.RequirePositive(fanIn, nameof(fanIn));
        Shapes.RequirePositive(fanOut, nameof(fanOut));
        Shapes.RequireExact(w.Length, fanIn * fanOut, nameof(w) + ".Length");
        Shapes.RequireExact(b.Length, fanOut, nameof(b) + ".Length");
        Draw(scheme, w, b, fanIn, fanOut, scale, rng);
    }

    /// <summary>
    /// Initialises one Conv2d layer as <see cref="Apply"/> does a Dense one, with torch's fans for a convolution:
    /// fanIn = C·kH·kW and fanOut = O·kH·kW. TorchDefault is torch.nn.Conv2d's reset_parameters: W and b both
    /// U(±1/√(C·kH·kW)). w:(O, C, kH, kW)  b:(O).
    /// </summary>
    public static void ApplyConv(InitScheme scheme, Span<float> w, Span<float> b, int inChannels, int outChannels,
                                 int kernelH, int kernelW, double scale, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Shapes.RequirePositive(inChannels, nameof(inChannels));
        Shapes.RequirePositive(outChannels, nameof(outChannels));
        Shapes.RequirePositive(kernelH, nameof(kernelH));
        Shapes.RequirePositive(kernelW, nameof(kernelW));
        int receptive = kernelH * kernelW;
        Shapes.RequireExact(w.Length, outChannels * inChannels * receptive, nameof(w) + ".Length");
        Shapes.RequireExact(b.Length, outChannels, nameof(b) + ".Length");
        Draw(scheme, w, b, inChannels * receptive, outChannels * receptive, scale, rng);
    }

    private static void Draw(InitScheme scheme, Span<float> w, Span<float> b, int fanIn, int fanOut, double scale, Random rng)
    {
        if (!double.IsFinite(scale) || scale < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be finite and non-negative.");
        }
        switch (scheme)
        {
            case InitScheme.TorchDefault:
                double bound = scale / Math.Sqrt(fanIn);
                Uniform(w, bound, rng);
                Uniform(b, bound, rng);
                return;
            case InitScheme.XavierUniform:
                Uniform(w, scale * Math.Sqrt(6.0 / (fanIn + fanOut)), rng);
                break;
            case InitScheme.XavierNormal:
                Normal(w, scale * Math.Sqrt(2.0 / (fanIn + fanOut)), rng);
                break;
            case InitScheme.KaimingUniform:
                Uniform(w, scale * Math.Sqrt(6.0 / fanIn), rng);   // gain √2 · √(3/fanIn)
                break;
            case InitScheme.KaimingNormal:
                Normal(w, scale * Math.Sqrt(2.0 / fanIn), rng);    // gain √2 / √fanIn
                break;
            case InitScheme.Normal:
                Normal(w, scale, rng);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown initialisation scheme.");
        }
        b.Clear();
    }

    /// <summary>x ~ U(−bound, bound), elementwise in order.</summary>
    public static void Uniform(Span<float> x, double bound, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((2.0 * rng.NextDouble() - 1.0) * bound);
        }
    }

    /// <summary>x ~ N(0, std²) by Box–Muller, two draws of U(0,1) per element (no cached spare, so the
    /// stream position depends only on the length).</summary>
    public static void Normal(Span<float> x, double std, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < x.Length; i++)
        {
            double u1 = 1.0 - rng.NextDouble();   // (0, 1]: log stays finite
            double u2 = rng.NextDouble();
            x[i] = (float)(std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
        }
    }
}
