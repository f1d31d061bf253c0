using DqnStudy.Nn;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Recurrent;

namespace DqnStudy.Agent.Studies.Exploding;

/// <summary>What the essay's experiment is run with. H0Norm: the norm of the small random initial state.</summary>
public sealed record RnnExplodingOptions(IReadOnlyList<double> Rhos, int MaxT = 100, int Hidden = 32, int Seed = 0, double H0Norm = 0.5)
{
    public static readonly IReadOnlyList<double> DefaultRhos = [0.9, 1.0, 1.1];

    public void Validate()
    {
        if (Rhos is null || Rhos.Count == 0) throw new ArgumentException("Rhos needs at least one spectral radius.", nameof(Rhos));
        if (Rhos.Any(r => !(r > 0) || double.IsInfinity(r))) throw new ArgumentOutOfRangeException(nameof(Rhos), string.Join(",", Rhos), "every rho must be positive and finite.");
        if (MaxT is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(MaxT), MaxT, "MaxT must be in 1..10000.");
        if (Hidden is < 1 or > 1024) throw new ArgumentOutOfRangeException(nameof(Hidden), Hidden, "Hidden must be in 1..1024.");
        if (!(H0Norm > 0) || double.IsInfinity(H0Norm)) throw new ArgumentOutOfRangeException(nameof(H0Norm), H0Norm, "H0Norm must be positive and finite.");
    }
}

/// <summary>One ρ: the matrix's measured spectra and, for T = 1..MaxT, ||dL/dh0|| from BPTT with h0 = 0 and with the
/// small random h0, the exact linear prediction ||(W_hhᵀ)^T g|| (double, independent of the RNN code) and ρ^T.</summary>
public sealed record RnnExplodingSeries(double Rho, double SpectralRadius, double LargestSingularValue,
                                        double[] GradNormZeroH0, double[] GradNormRandomH0, double[] ExactLinear, double[] RhoPowT);

/// <summary>
/// The essay's exploding/vanishing experiment: a vanilla RNN with zero input and zero biases, only the recurrence
/// h_t = tanh(W_hh h_{t-1}). A unit upstream gradient g at h_T is backpropagated to h_0. With h0 = 0 every h_t is 0,
/// tanh' = 1, and BPTT is exactly g ↦ (W_hhᵀ)^T g: its norm grows like ρ^T asymptotically (ρ = spectral radius),
/// with a constant set by g's overlap with the dominant eigenvectors. With a random h0 the state moves, tanh' &lt; 1
/// wherever it does, and the gradient is damped below the linear prediction (for ρ &gt; 1 the state saturates).
/// </summary>
public static class RnnExplodingExperiment
{
    public static IReadOnlyList<RnnExplodingSeries> Run(RnnExplodingOptions options, IBlas blas)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(blas);
        options.Validate();
        int h = options.Hidden, maxT = options.MaxT;
        var rng = new Random(options.Seed);
        // One Gaussian draw N(0, 1/H), rescaled per ρ, so the curves differ only in ρ.
        var baseMatrix = new float[h * h];
        for (int i = 0; i < baseMatrix.Length; i++) baseMatrix[i] = (float)(Gaussian(rng) / Math.Sqrt(h));
        double[] g = UnitVector(rng, h, 1.0);
        double[] h0Random = UnitVector(rng, h, options.H0Norm);

        var rnn = new VanillaRnn(blas, inputSize: 1, hiddenSize: h, maxSteps: maxT, maxBatch: 1);
        var xs = new float[maxT];                  // (T, 1, 1): zero input
        var dhs = new float[maxT * h];             // (T, 1, H): g at h_T only
        var dh0 = new float[h];
        var h0Zero = new float[h];
        float[] h0Small = h0Random.Select(v => (float)v).ToArray();
        var results = new List<RnnExplodingSeries>();
        foreach (double rho in options.Rhos)
        {
            rnn.Parameters.Clear();                // W_ih = 0, biases = 0
            baseMatrix.CopyTo(rnn.WeightHh);
            SpectralProbe.ScaleToSpectralRadius(rnn.WeightHh, h, rho);
            double radius = SpectralProbe.SpectralRadius(rnn.WeightHh, h);
            double sigma = SpectralProbe.SpectralNorm(rnn.WeightHh, h, h);
            double[] exact = ExactLinear(rnn.WeightHh.ToArray(), g, h, maxT);
            var zero = new double[maxT];
            var random = new double[maxT];
            var power = new double[maxT];
            for (int t = 1; t <= maxT; t++)
            {
                zero[t - 1] = GradientNormAtH0(rnn, xs, dhs, dh0, h0Zero, g, t);
                random[t - 1] = GradientNormAtH0(rnn, xs, dhs, dh0, h0Small, g, t);
                power[t - 1] = Math.Pow(rho, t);
            }
            results.Add(new RnnExplodingSeries(rho, radius, sigma, zero, random, exact, power));
        }
        return results;
    }

    /// <summary>||(Wᵀ)^T g|| for T = 1..maxT by repeated multiplication in double. w: (H, H) row-major.</summary>
    public static double[] ExactLinear(float[] w, double[] g, int hidden, int maxT)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(g);
        var v = (double[])g.Clone();
        var next = new double[hidden];
        var norms = new double[maxT];
        for (int t = 0; t < maxT; t++)
        {
            Array.Clear(next);
            for (int r = 0; r < hidden; r++)
            {
                for (int c = 0; c < hidden; c++)
                {
                    next[c] += w[r * hidden + c] * v[r];   // (Wᵀ v)[c] = Σ_r W[r, c] v[r]
                }
            }
            (v, next) = (next, v);
            norms[t] = Norms.L2(v);
        }
        return norms;
    }

    private static double GradientNormAtH0(VanillaRnn rnn, float[] xs, float[] dhs, float[] dh0, float[] h0, double[] g, int steps)
    {
        int h = rnn.HiddenSize;
        rnn.Forward(xs.AsSpan(0, steps), h0, steps, 1);
        Span<float> upstream = dhs.AsSpan(0, steps * h);
        upstream.Clear();
        for (int j = 0; j < h; j++) upstream[(steps - 1) * h + j] = (float)g[j];
        rnn.ZeroGrad();
        rnn.Backward(upstream, [], dh0, steps, 1);
        return rnn.HiddenGradientNorms[0];
    }

    private static double[] UnitVector(Random rng, int n, double norm)
    {
        double[] v = Enumerable.Range(0, n).Select(_ => Gaussian(rng)).ToArray();
        double length = Norms.L2(v);
        return v.Select(x => x / length * norm).ToArray();
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());
}
