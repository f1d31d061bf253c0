using System.Diagnostics;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Seeding;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Bench;

/// <summary>
/// `--profile [seconds]`: where the time of cleanrl's CartPole recipe goes, per piece and per environment step, for each
/// provider: the env step, the greedy action, the replay write and sample, and the update's pieces (forwards, TD targets
/// and loss, zero-grad, backward, Adam), plus the update's 11 GEMMs alone with their share of the FMA ceiling. The pieces
/// run in rotation, a chunk of ~2 ms each, for `seconds` per provider, timed in this thread's CPU time (a shared machine's
/// scheduler otherwise charges other jobs' time slices to whichever piece was running); the ceiling (AVX2 and AVX-512
/// chains, 3 ms of CPU time each) is measured between rotations and each GEMM chunk is divided by the mean of the two
/// around it. Medians of the chunks.
/// Run: dotnet bin/Release/net10.0/DqnStudy.Bench.dll --profile 20
/// </summary>
internal static class ProfileRun
{
    private const int Batch = 128;

    public static void Run(double seconds)
    {
        Console.WriteLine($"clock: {(ThreadClock.IsCpuTime ? "this thread's CPU time" : "wall (no thread CPU clock here)")}");
        Console.WriteLine($"cpu: {CpuModel()}, {Environment.ProcessorCount} logical CPUs, Vector512 in hardware: {new ManagedBlas().UsesAvx512}; load {LoadAverage()}");
        var providers = new List<string> { "managed" };
        if (new ManagedBlas().UsesAvx512) providers.Add("managed-avx2");
        providers.Add("mkl");
        foreach (string provider in providers)
        {
            UpdateRig rig;
            try
            {
                rig = new UpdateRig(provider, Batch, [120, 84]);
            }
            catch (Exception e) when (provider == "mkl")
            {
                Console.WriteLine($"mkl unavailable: {e.Message}");
                continue;
            }
            Profile(provider, rig, seconds);
        }
    }

    private static void Profile(string provider, UpdateRig rig, double seconds)
    {
        IEnvironment env = EnvironmentRegistry.Make("CartPole-v1");
        env.Reset(0);
        int envActions = env.ActionSpace.N, stepIndex = 0, row = 0;
        var buffer = new ReplayBuffer(10_000, UpdateRig.Inputs);
        var batch = new TransitionBatch(Batch, UpdateRig.Inputs);
        var rng = new Rng(1);
        float[] observation = [0.01f, -0.02f, 0.03f, 0.04f];
        for (int i = 0; i < 10_000; i++) buffer.Add(observation, observation, i % 2, 1f, i % 50 == 49, false);
        (string Name, Action Call, bool InUpdate)[] pieces =
        [
            ("env step (CartPole-v1 in TimeLimit)", () => { if (env.Step(stepIndex++ % envActions) is { Terminated: true } or { Truncated: true }) env.Reset(); }, false),
            ("greedy action (1-row forward + argmax)", () => rig.Act(row++ & 127), false),
            ("replay add", () => buffer.Add(observation, observation, 1, 1f, false, false), false),
            ("replay sample 128", () => buffer.Sample(rng, batch, Batch), true),
            ("forwards (target on s', online on s)", rig.Forwards, true),
            ("TD targets + MSE loss", () => rig.TargetsAndLoss(), true),
            ("zero-grad", rig.ZeroGrad, true),
            ("backward", rig.Backward, true),
            ("Adam", rig.AdamStep, true),
            ("the update's 11 GEMMs alone", rig.Floor, false),
        ];
        int floor = pieces.Length - 1;
        var times = pieces.Select(_ => new List<double>()).ToArray();
        var shares256 = new List<double>();
        var shares512 = new List<double>();
        int[] calls = new int[pieces.Length];
        for (int p = 0; p < pieces.Length; p++)
        {
            for (int i = 0; i < 300; i++) pieces[p].Call(); // JIT to its final tier, caches warm
            calls[p] = Math.Clamp((int)(2_000 / Math.Max(Chunk(pieces[p].Call, 20), 0.01)), 20, 200_000);
        }
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            double c256 = FmaCeiling.CpuGflops(3_000, wide: false), c512 = FmaCeiling.CpuGflops(3_000, wide: true);
            for (int p = 0; p < pieces.Length; p++) times[p].Add(Chunk(pieces[p].Call, calls[p]));
            double gflops = rig.FloorFlops / times[floor][^1] / 1e3;
            c256 = (c256 + FmaCeiling.CpuGflops(3_000, wide: false)) / 2;
            c512 = (c512 + FmaCeiling.CpuGflops(3_000, wide: true)) / 2;
            shares256.Add(gflops / c256);
            shares512.Add(gflops / c512);
        }
        double[] median = [.. times.Select(Median)];
        double update = pieces.Select((p, i) => p.InUpdate ? median[i] : 0).Sum();
        double perStep = median[0] + median[1] + median[2];
        Console.WriteLine();
        Console.WriteLine($"{provider} ({rig.Blas.Describe()}): {times[0].Count} rotations in {seconds:F0} s, medians");
        Console.WriteLine("| piece | µs per call | µs per env step, train_freq 10 | train_freq 1 |");
        Console.WriteLine("|---|---|---|---|");
        for (int p = 0; p < floor; p++)
        {
            Console.WriteLine($"| {pieces[p].Name} | {median[p]:F2} | {median[p] / (pieces[p].InUpdate ? 10 : 1):F2} | {median[p]:F2} |");
        }
        Console.WriteLine($"| **one update** (sample + the five pieces) | **{update:F1}** | {update / 10:F2} | {update:F1} |");
        Console.WriteLine($"| **one env step with its share of updates** | | **{perStep + update / 10:F2}** ({1e6 / (perStep + update / 10):N0} steps/s) | **{perStep + update:F1}** ({1e6 / (perStep + update):N0} steps/s) |");
        double floorGflops = rig.FloorFlops / median[floor] / 1e3;
        Console.WriteLine($"the update's 11 GEMMs ({rig.FloorFlops / 1e6:F2} MFLOP): {median[floor]:F1} µs = {floorGflops:F1} GFLOP/s, " +
                          $"{Median(shares256):P0} of the AVX2 FMA ceiling and {Median(shares512):P0} of the AVX-512 one (median of chunks, " +
                          $"each against the ceiling measured around it); the GEMMs are {median[floor] / update:P0} of the update");
        Shapes(rig.Blas);
    }

    /// <summary>µs of this thread's CPU time per call (see <see cref="ThreadClock"/>).</summary>
    /// <summary>Each GEMM of the update on its own (the shapes `blas: auto` races on): µs and GFLOP/s, best of 5 chunks.</summary>
    private static void Shapes(IBlas blas)
    {
        IReadOnlyList<GemmShape> shapes = BlasTrial.CleanrlUpdate;
        int size = shapes.Max(s => Math.Max(s.M * s.K, Math.Max(s.K * s.N, s.M * s.N)));
        float[] a = new float[size], b = new float[size], c = new float[size];
        Array.Fill(a, 0.5f);
        Array.Fill(b, 0.25f);
        var line = new List<string>();
        foreach (GemmShape shape in shapes.Distinct())
        {
            void Call() => blas.Gemm(shape.A, shape.B, shape.M, shape.N, shape.K, 1f, a, b, 0f, c);
            for (int i = 0; i < 200; i++) Call();
            int calls = Math.Clamp((int)(2_000 / Math.Max(Chunk(Call, 20), 0.01)), 20, 200_000);
            double best = Enumerable.Range(0, 5).Min(_ => Chunk(Call, calls));
            line.Add($"{(shape.A == Trans.Yes ? "ᵀ" : "")}{shape}{(shape.B == Trans.Yes ? "ᵀ" : "")} {best:F1} µs ({shape.Flops / best / 1e3:F0} GFLOP/s)");
        }
        Console.WriteLine("per GEMM (m×n×k, ᵀ marks a transposed operand; best of 5 chunks): " + string.Join(", ", line));
    }

    private static double Chunk(Action call, int calls)
    {
        double start = ThreadClock.Microseconds();
        for (int i = 0; i < calls; i++) call();
        return (ThreadClock.Microseconds() - start) / calls;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string CpuModel()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
