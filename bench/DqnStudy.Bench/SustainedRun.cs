using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DqnStudy.Bench;

/// <summary>
/// `--sustained [seconds]`: the update's GEMM floor and the full update, each called back to back for `seconds`
/// (default 10) in chunks of 1,000, reporting the mean, median and best chunk. BenchmarkDotNet's short iterations
/// catch the CPU at its best; a 500k-step run does not get that: on the shared 2-vCPU guest where this was written the
/// best 1,000-update chunk is ~15% faster than the mean over ten seconds. This is the number a whole run can expect.
/// Run: dotnet bin/Release/net10.0/DqnStudy.Bench.dll --sustained 10
/// </summary>
internal static class SustainedRun
{
    public static void Run(double seconds)
    {
        Console.WriteLine($"FMA ceiling of this core: {PeakGflops():F1} GFLOP/s (12 independent Vector256 FMA chains, registers only, 1 s)");
        Console.WriteLine($"sustained: each measurement runs {seconds:F0} s in chunks of 1,000 calls (batch 128, 4→120→84→2, MSE, Adam)");
        Console.WriteLine("| provider | what | mean µs | median chunk µs | best chunk µs | calls |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (string provider in new[] { "managed", "mkl" })
        {
            UpdateRig rig;
            try
            {
                rig = new UpdateRig(provider, 128, [120, 84]);
            }
            catch (Exception e) when (provider == "mkl")
            {
                Console.WriteLine($"| mkl | unavailable: {e.Message} | | | | |");
                continue;
            }
            Measure(provider, "floor: the 11 GEMMs", rig.Floor, seconds);
            Measure(provider, "full update", () => rig.Update(), seconds);
        }
    }

    /// <summary>
    /// `--sustained-minatar [seconds]`: MinAtar's frame (acting forward + update at batch 32, centred RMSProp) for 4, 7
    /// and 10 channels per provider: µs per frame, GFLOP/s and the share of the FMA ceiling. On a shared machine the
    /// ceiling moves with the load, so it is measured around every chunk of 50 frames (25 ms before, 25 ms after) and
    /// each chunk is divided by its own ceiling; the table gives the median of those shares.
    /// </summary>
    public static void RunMinAtar(double seconds)
    {
        Console.WriteLine($"FMA ceiling of this core: {PeakGflops():F1} GFLOP/s (12 independent Vector256 FMA chains, registers only, 1 s)");
        Console.WriteLine($"each row runs {seconds:F0} s: chunks of 50 frames, each between two 25 ms measurements of the ceiling");
        Console.WriteLine("| provider | channels | MFLOP per frame | mean µs | median chunk µs | best chunk µs | frames | GFLOP/s (median chunk) | ceiling around it, GFLOP/s | share of ceiling (median of chunks) |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (string provider in new[] { "managed", "mkl" })
        {
            foreach (int channels in new[] { 4, 7, 10 })
            {
                MinAtarRig rig;
                try
                {
                    rig = new MinAtarRig(provider, channels);
                }
                catch (Exception e) when (provider == "mkl")
                {
                    Console.WriteLine($"| mkl | unavailable: {e.Message} | | | | | | | | |");
                    break;
                }
                for (int i = 0; i < 200; i++) rig.Frame(); // JIT to its final tier, caches warm
                var chunks = new List<(double Us, double Ceiling, double Share)>();
                double total = 0;
                long start = Stopwatch.GetTimestamp();
                while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
                {
                    double before = Gflops(0.025);
                    long chunkStart = Stopwatch.GetTimestamp();
                    for (int i = 0; i < 50; i++) rig.Frame();
                    double us = Stopwatch.GetElapsedTime(chunkStart).TotalMicroseconds / 50;
                    double ceiling = (before + Gflops(0.025)) / 2;
                    chunks.Add((us, ceiling, rig.FlopsPerFrame / us / 1e3 / ceiling));
                    total += us * 50;
                }
                double mean = total / (chunks.Count * 50);
                var byTime = chunks.OrderBy(c => c.Us).ToList();
                (double medianUs, double medianCeiling, _) = byTime[byTime.Count / 2];
                double share = chunks.Select(c => c.Share).OrderBy(v => v).ElementAt(chunks.Count / 2);
                Console.WriteLine($"| {provider} | {channels} | {rig.FlopsPerFrame / 1e6:F1} | {mean:F1} | {medianUs:F1} | {byTime[0].Us:F1} | " +
                                  $"{chunks.Count * 50:N0} | {rig.FlopsPerFrame / medianUs / 1e3:F1} | {medianCeiling:F1} | {share:P0} |");
            }
        }
    }

    private static void Measure(string provider, string what, Action call, double seconds)
    {
        for (int i = 0; i < 2_000; i++) call(); // JIT to its final tier, caches warm
        var chunks = new List<double>();
        long calls = 0;
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            long chunkStart = Stopwatch.GetTimestamp();
            for (int i = 0; i < 1_000; i++) call();
            chunks.Add(Stopwatch.GetElapsedTime(chunkStart).TotalMicroseconds / 1_000);
            calls += 1_000;
        }
        double mean = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
        chunks.Sort();
        Console.WriteLine($"| {provider} | {what} | {mean:F1} | {chunks[chunks.Count / 2]:F1} | {chunks[0]:F1} | {calls:N0} |");
    }

    /// <summary>What the core's FMA units deliver with no memory traffic: the ceiling any GEMM here is measured against.</summary>
    private static double PeakGflops()
    {
        FmaChains(1_000_000);
        return Gflops(1.0);
    }

    /// <summary>The FMA chains' GFLOP/s over about <paramref name="seconds"/>.</summary>
    private static double Gflops(double seconds)
    {
        long iterations = 0;
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            FmaChains(1_000_000);
            iterations += 1_000_000;
        }
        return iterations * 12 * 16 / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FmaChains(long iterations)
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
}
