using BenchmarkDotNet.Attributes;

namespace DqnStudy.Bench;

/// <summary>One greedy action: a single-state forward through 4→120→84→2 and argmax (what every ε-greedy step
/// pays when it exploits, and every evaluation step). Must allocate 0 B.
/// Run: ... -- --filter '*ActBenchmarks*' --job short</summary>
[MemoryDiagnoser]
public class ActBenchmarks
{
    private const int ActsPerInvoke = 64;
    private UpdateRig rig = null!;

    [Params("managed", "mkl")]
    public string Provider { get; set; } = "managed";

    [GlobalSetup]
    public void Setup() => rig = new UpdateRig(Provider, 128, [120, 84]);

    [Benchmark(OperationsPerInvoke = ActsPerInvoke)]
    public int GreedyAction()
    {
        int sum = 0;
        for (int i = 0; i < ActsPerInvoke; i++)
        {
            sum += rig.Act(i);
        }
        return sum;
    }
}
