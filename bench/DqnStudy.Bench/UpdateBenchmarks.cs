using BenchmarkDotNet.Attributes;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Bench;

/// <summary>
/// One full DQN update as the agent runs it: target forward on s', TD targets, online forward on s, DqnLoss
/// (Huber), zero-grad, backward, Adam. Batch 128, network 4→120→84→2 (cleanrl's CartPole Q-network).
/// Must allocate 0 B per update. Run: dotnet run -c Release --project bench/DqnStudy.Bench -- --filter '*Update*'
/// </summary>
[MemoryDiagnoser]
public class UpdateBenchmarks
{
    private const int Batch = 128;
    private const int Inputs = 4;
    private const int Actions = 2;

    private Mlp online = null!;
    private Mlp target = null!;
    private DqnLoss loss = null!;
    private Adam adam = null!;
    private float[] states = null!, nextStates = null!, rewards = null!, dones = null!, targets = null!, dq = null!;
    private int[] actions = null!;

    /// <summary>BLAS providers by name; "mkl" joins when MklBlas lands (src/Nn/Blas is another engineer's).</summary>
    [ParamsSource(nameof(Providers))]
    public string Provider { get; set; } = "managed";

    public static IEnumerable<string> Providers() => ["managed"];

    [GlobalSetup]
    public void Setup()
    {
        IBlas blas = Provider switch
        {
            "managed" => new ManagedBlas(),
            _ => throw new ArgumentOutOfRangeException(nameof(Provider), Provider, "Unknown BLAS provider."),
        };
        var rng = new Random(1);
        online = new Mlp(blas, Inputs, [120, 84], Actions, Activation.Relu, Batch);
        online.Initialize(InitScheme.TorchDefault, 1.0, rng);
        target = online.Clone();
        loss = new DqnLoss(new TdLoss(LossKind.Huber), Batch, Actions);
        adam = new Adam(online.Parameters.Count, 2.5e-4f);
        states = Fill(rng, Batch * Inputs);
        nextStates = Fill(rng, Batch * Inputs);
        rewards = Fill(rng, Batch);
        dones = [.. Enumerable.Range(0, Batch).Select(i => i % 17 == 0 ? 1f : 0f)];
        actions = [.. Enumerable.Range(0, Batch).Select(_ => rng.Next(Actions))];
        targets = new float[Batch];
        dq = new float[Batch * Actions];
    }

    [Benchmark]
    public float Update()
    {
        ReadOnlySpan<float> next = target.Forward(nextStates, Batch);
        for (int b = 0; b < Batch; b++)
        {
            float max = MathF.Max(next[b * Actions], next[b * Actions + 1]);
            targets[b] = rewards[b] + 0.99f * max * (1f - dones[b]);
        }
        ReadOnlySpan<float> q = online.Forward(states, Batch);
        float value = loss.Compute(q, actions, targets, dq, Batch);
        online.ZeroGrad();
        online.Backward(dq, Batch);
        adam.Step(online.Parameters.Values, online.Parameters.Gradients);
        return value;
    }

    private static float[] Fill(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
}
