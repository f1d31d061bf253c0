using DqnStudy.Agent.Seeding;
using BenchmarkDotNet.Attributes;
using DqnStudy.Agent.Dqn;

namespace DqnStudy.Bench;

/// <summary>Replay sampling: batch 128 drawn uniformly with replacement from a full 10,000-slot CartPole buffer
/// (cleanrl's recipe), and one Add. Must allocate 0 B.
/// Run: ... -- --filter '*ReplayBenchmarks*' --job short</summary>
[MemoryDiagnoser]
public class ReplayBenchmarks
{
    private const int Capacity = 10_000;
    private const int ObservationSize = 4;
    private const int BatchSize = 128;

    private ReplayBuffer buffer = null!;
    private TransitionBatch batch = null!;
    private Rng rng = null!;
    private float[] observation = null!;

    [GlobalSetup]
    public void Setup()
    {
        buffer = new ReplayBuffer(Capacity, ObservationSize);
        batch = new TransitionBatch(BatchSize, ObservationSize);
        rng = new Rng(1);
        var random = new Random(1);
        observation = new float[ObservationSize];
        float[] next = new float[ObservationSize];
        for (int i = 0; i < Capacity; i++)
        {
            for (int j = 0; j < ObservationSize; j++)
            {
                observation[j] = (float)random.NextDouble();
                next[j] = (float)random.NextDouble();
            }
            buffer.Add(observation, next, i % 2, 1f, i % 50 == 49, false);
        }
    }

    [Benchmark]
    public int Sample128()
    {
        buffer.Sample(rng, batch, BatchSize);
        return batch.Count;
    }

    [Benchmark]
    public int Add()
    {
        buffer.Add(observation, observation, 1, 1f, false, false);
        return buffer.Position;
    }
}
