using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DqnStudy.Bench;

/// <summary>What the core's FMA units deliver with no memory traffic (12 independent FMA chains in registers): the
/// ceiling every GEMM here is measured against. Vector256 is the AVX2 ceiling; Vector512 doubles it on a core with
/// full-width AVX-512 units (AMD Zen 5) and is the honest ceiling for the managed kernel's AVX-512 tiles there.</summary>
internal static class FmaCeiling
{
    public static double Peak(bool wide)
    {
        Chains(wide, 1_000_000);
        return Gflops(1.0, wide);
    }

    /// <summary>GFLOP/s of the chains over about <paramref name="seconds"/> of wall time.</summary>
    public static double Gflops(double seconds, bool wide)
    {
        long iterations = 0;
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            Chains(wide, 200_000);
            iterations += 200_000;
        }
        return iterations * 12 * (wide ? 32 : 16) / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
    }

    /// <summary>GFLOP/s of the chains over about <paramref name="microseconds"/> of this thread's CPU time.</summary>
    public static double CpuGflops(double microseconds, bool wide)
    {
        long iterations = 0;
        double start = ThreadClock.Microseconds(), elapsed;
        do
        {
            Chains(wide, 50_000);
            iterations += 50_000;
            elapsed = ThreadClock.Microseconds() - start;
        }
        while (elapsed < microseconds);
        return iterations * 12 * (wide ? 32 : 16) / elapsed / 1e3;
    }

    private static float Chains(bool wide, long iterations) =>
        wide && Vector512.IsHardwareAccelerated ? Chains512(iterations) : Chains256(iterations);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(long iterations)
    {
        Vector256<float> a = Vector256.Create(1.0000001f), b = Vector256.Create(0.9999999f);
        Vector256<float> c0 = Vector256<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector256<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.MultiplyAddEstimate(a, b, c0); c1 = Vector256.MultiplyAddEstimate(a, b, c1);
            c2 = Vector256.MultiplyAddEstimate(a, b, c2); c3 = Vector256.MultiplyAddEstimate(a, b, c3);
            c4 = Vector256.MultiplyAddEstimate(a, b, c4); c5 = Vector256.MultiplyAddEstimate(a, b, c5);
            c6 = Vector256.MultiplyAddEstimate(a, b, c6); c7 = Vector256.MultiplyAddEstimate(a, b, c7);
            c8 = Vector256.MultiplyAddEstimate(a, b, c8); c9 = Vector256.MultiplyAddEstimate(a, b, c9);
            c10 = Vector256.MultiplyAddEstimate(a, b, c10); c11 = Vector256.MultiplyAddEstimate(a, b, c11);
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).GetElement(0);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(long iterations)
    {
        Vector512<float> a = Vector512.Create(1.0000001f), b = Vector512.Create(0.9999999f);
        Vector512<float> c0 = Vector512<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector512<float> c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.MultiplyAddEstimate(a, b, c0); c1 = Vector512.MultiplyAddEstimate(a, b, c1);
            c2 = Vector512.MultiplyAddEstimate(a, b, c2); c3 = Vector512.MultiplyAddEstimate(a, b, c3);
            c4 = Vector512.MultiplyAddEstimate(a, b, c4); c5 = Vector512.MultiplyAddEstimate(a, b, c5);
            c6 = Vector512.MultiplyAddEstimate(a, b, c6); c7 = Vector512.MultiplyAddEstimate(a, b, c7);
            c8 = Vector512.MultiplyAddEstimate(a, b, c8); c9 = Vector512.MultiplyAddEstimate(a, b, c9);
            c10 = Vector512.MultiplyAddEstimate(a, b, c10); c11 = Vector512.MultiplyAddEstimate(a, b, c11);
        }
        return (c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11).GetElement(0);
    }
}
