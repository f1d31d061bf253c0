using System.Diagnostics;

namespace DqnStudy.Nn.Blas;

/// <summary>One GEMM of a workload: c(m,n) = op(a)·op(b).</summary>
public readonly record struct GemmShape(Trans A, Trans B, int M, int N, int K)
{
    public long Flops => 2L * M * N * K;

    public override string ToString() => $"{M}×{N}×{K}";
}

/// <summary>
/// What `blas: auto` measures: both providers timed on the GEMMs of one DQN update, interleaved (MKL, managed, MKL, …)
/// so that a busy neighbour slows both alike, each provider's best round kept (the least disturbed). Which provider is
/// faster depends on the CPU, not on a rule of thumb: MKL 2020 runs a generic kernel on AMD, the managed kernel has
/// AVX-512 tiles where the CPU has full-width AVX-512, and on an Intel core MKL's own kernels may win.
/// </summary>
public static class BlasTrial
{
    /// <summary>The 11 GEMMs of one update of cleanrl's CartPole recipe (batch 128, 4→120→84→2): the default workload.</summary>
    public static IReadOnlyList<GemmShape> CleanrlUpdate { get; } = DenseUpdate(4, [120, 84], 2, 128);

    /// <summary>The GEMMs of one DQN update of a dense network: target and online forward of every layer, then each
    /// layer's dW and (above the first) dx, as Linear runs them.</summary>
    public static GemmShape[] DenseUpdate(int inputSize, IReadOnlyList<int> hiddenSizes, int outputs, int batch)
    {
        int[] widths = [inputSize, .. hiddenSizes, outputs];
        var shapes = new List<GemmShape>();
        for (int pass = 0; pass < 2; pass++)
        {
            for (int l = 0; l + 1 < widths.Length; l++) shapes.Add(new GemmShape(Trans.No, Trans.Yes, batch, widths[l + 1], widths[l]));
        }
        for (int l = widths.Length - 2; l >= 0; l--)
        {
            shapes.Add(new GemmShape(Trans.Yes, Trans.No, widths[l + 1], widths[l], batch));
            if (l > 0) shapes.Add(new GemmShape(Trans.No, Trans.No, batch, widths[l], widths[l + 1]));
        }
        return [.. shapes];
    }

    /// <summary>Microseconds for one pass over <paramref name="shapes"/>, best round of each provider; rounds alternate
    /// between the two, each about <paramref name="roundMilliseconds"/> long, after a warm-up that brings the JIT to its
    /// final code.</summary>
    public static (double First, double Second) Race(IBlas first, IBlas second, IReadOnlyList<GemmShape> shapes,
                                                     int rounds = 7, double roundMilliseconds = 4)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(shapes);
        int size = shapes.Count == 0 ? 1 : shapes.Max(s => Math.Max(s.M * s.K, Math.Max(s.K * s.N, s.M * s.N)));
        var random = new Random(1);
        float[] a = new float[size], b = new float[size], c = new float[size];
        for (int i = 0; i < size; i++)
        {
            a[i] = (float)random.NextDouble() - 0.5f;
            b[i] = (float)random.NextDouble() - 0.5f;
        }
        void Pass(IBlas blas)
        {
            foreach (GemmShape s in shapes) blas.Gemm(s.A, s.B, s.M, s.N, s.K, 1f, a, b, 0f, c);
        }
        double Round(IBlas blas, int calls)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) Pass(blas);
            return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
        }
        // Warm-up: past tiered compilation's 30 calls AND its clock. Call counting starts only after 100 ms without new
        // tier-0 methods and tier-1 code is compiled in the background, so 60 quick passes at start-up would time the
        // managed kernels as unoptimised tier-0 code (seen: 460 µs against 70 µs warm) while MKL is native from the start.
        long warmStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < 60 || Stopwatch.GetElapsedTime(warmStart).TotalMilliseconds < WarmUpMilliseconds; i++)
        {
            Pass(first);
            Pass(second);
        }
        int callsFirst = CallsFor(Round(first, 5), roundMilliseconds), callsSecond = CallsFor(Round(second, 5), roundMilliseconds);
        double bestFirst = double.MaxValue, bestSecond = double.MaxValue;
        for (int r = 0; r < rounds; r++)
        {
            bestFirst = Math.Min(bestFirst, Round(first, callsFirst));
            bestSecond = Math.Min(bestSecond, Round(second, callsSecond));
        }
        return (bestFirst, bestSecond);
    }

    /// <summary>Long enough for the runtime's 100 ms call-counting delay plus the background tier-1 compile.</summary>
    private const double WarmUpMilliseconds = 400;

    private static int CallsFor(double microsecondsPerPass, double roundMilliseconds) =>
        Math.Clamp((int)(roundMilliseconds * 1000 / Math.Max(microsecondsPerPass, 1e-3)), 1, 100_000);
}
