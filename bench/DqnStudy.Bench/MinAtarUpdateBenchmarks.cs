using BenchmarkDotNet.Attributes;

namespace DqnStudy.Bench;

/// <summary>
/// One MinAtar frame (acting forward + one update at batch 32 with centred RMSProp, see MinAtarRig) for 4, 7 and 10
/// input channels per provider, and its pieces. Must allocate 0 B. GFLOP/s and the share of the FMA ceiling come
/// from `--sustained-minatar`, which times the same Frame for seconds and measures the ceiling in the same run.
/// Run: dotnet run -c Release --project bench/DqnStudy.Bench -- --filter '*MinAtarUpdateBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class MinAtarUpdateBenchmarks
{
    private MinAtarRig rig = null!;

    [Params("managed", "mkl")]
    public string Provider { get; set; } = "managed";

    [Params(4, 7, 10)]
    public int Channels { get; set; } = 4;

    [GlobalSetup]
    public void Setup() => rig = new MinAtarRig(Provider, Channels);

    /// <summary>Acting forward + update: what dqn.py does per frame once learning has started.</summary>
    [Benchmark(Baseline = true)]
    public float Frame() => rig.Frame();

    [Benchmark]
    public float Update() => rig.Update();

    /// <summary>The frame's dense-layer GEMMs alone (see MinAtarRig.Floor).</summary>
    [Benchmark]
    public void DenseGemms() => rig.Floor();

    [Benchmark]
    public float Forward32() => rig.Forward();

    [Benchmark]
    public void Backward32() => rig.Backward();

    [Benchmark]
    public void RmsPropStep() => rig.OptimizerStep();

    [Benchmark]
    public int Act() => rig.Act(0);
}
