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
        Console.WriteLine($"FMA ceiling of this core: {FmaCeiling.Peak(wide: false):F1} GFLOP/s (12 independent Vector256 FMA chains, registers only, 1 s)");
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
        Console.WriteLine($"FMA ceiling of this core: {FmaCeiling.Peak(wide: false):F1} GFLOP/s (12 independent Vector256 FMA chains, registers only, 1 s)");
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
                    double before = FmaCeiling.Gflops(0.025, wide: false);
                    long chunkStart = Stopwatch.GetTimestamp();
                    for (int i = 0; i < 50; i++) rig.Frame();
                    double us = Stopwatch.GetElapsedTime(chunkStart).TotalMicroseconds / 50;
                    double ceiling = (before + FmaCeiling.Gflops(0.025, wide: false)) / 2;
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
}
