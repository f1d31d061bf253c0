using BenchmarkDotNet.Attributes;

namespace DqnStudy.Bench;

/// <summary>
/// One full DQN update on cleanrl's CartPole recipe (batch 128, 4→120→84→2 ReLU, MSE, Adam) per provider, next to
/// the floor: the same update's 11 GEMMs alone on the same provider (Ratio = Update / Floor). The target
/// is Update(any provider) ≤ 1.3 × Floor(mkl). Must allocate 0 B.
/// Run: dotnet run -c Release --project bench/DqnStudy.Bench -- --filter '*UpdateBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class UpdateBenchmarks
{
    private UpdateRig rig = null!;

    [Params("managed", "mkl")]
    public string Provider { get; set; } = "managed";

    [GlobalSetup]
    public void Setup() => rig = new UpdateRig(Provider, 128, [120, 84]);

    [Benchmark(Baseline = true)]
    public void Floor() => rig.Floor();

    [Benchmark]
    public float Update() => rig.Update();
}

/// <summary>Update µs against batch size (32…512) at cleanrl's widths, with each provider's floor.
/// Run: ... -- --filter '*UpdateBatchScaling*' --job short</summary>
[MemoryDiagnoser]
public class UpdateBatchScaling
{
    private UpdateRig rig = null!;

    [Params("managed", "mkl")]
    public string Provider { get; set; } = "managed";

    [Params(32, 64, 128, 256, 512)]
    public int Batch { get; set; } = 128;

    [GlobalSetup]
    public void Setup() => rig = new UpdateRig(Provider, Batch, [120, 84]);

    [Benchmark(Baseline = true)]
    public void Floor() => rig.Floor();

    [Benchmark]
    public float Update() => rig.Update();
}

/// <summary>Update µs against width: two hidden layers of 64…512 units, batch 128, with each provider's floor.
/// Run: ... -- --filter '*UpdateWidthScaling*' --job short</summary>
[MemoryDiagnoser]
public class UpdateWidthScaling
{
    private UpdateRig rig = null!;

    [Params("managed", "mkl")]
    public string Provider { get; set; } = "managed";

    [Params(64, 128, 256, 512)]
    public int Hidden { get; set; } = 128;

    [GlobalSetup]
    public void Setup() => rig = new UpdateRig(Provider, 128, [Hidden, Hidden]);

    [Benchmark(Baseline = true)]
    public void Floor() => rig.Floor();

    [Benchmark]
    public float Update() => rig.Update();
}
