using System.Diagnostics;

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
