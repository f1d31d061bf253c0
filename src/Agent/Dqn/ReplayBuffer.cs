using DqnStudy.Agent.Instruments;
using DqnStudy.Agent.Seeding;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// Fixed-capacity ring buffer of transitions (s, a, r, s', terminated), preallocated in full.
/// s' is the true next observation — on a truncated step the final observation of the episode,
/// not the first of the next one — and `terminated` alone says whether to bootstrap, as in
/// cleanrl and Stable-Baselines3 (handle_timeout_termination).
/// </summary>
public sealed class ReplayBuffer : IObservationStore
{
    private readonly TransitionRing _ring;
    private readonly float[] _row;   // one unpacked observation (bit storage only)

    /// <param name="packBits">Store observations one bit per value (0/1 observations such as MinAtar's); Add throws
    /// on any other value.</param>
    public ReplayBuffer(int capacity, int observationSize, bool packBits = false)
    {
        _ring = new TransitionRing(capacity, observationSize, withEpisodes: false, packBits);
        _row = packBits ? new float[observationSize] : [];
    }

    public int Capacity => _ring.Capacity;
    public int ObservationSize => _ring.ObservationSize;
    public int Count => _ring.Count;
    /// <summary>The slot the next Add writes.</summary>
    public int Position => _ring.Position;
    public bool IsPacked => _ring.IsPacked;
    /// <summary>Memory the stored transitions take (what a seed's buffer costs).</summary>
    public long Bytes => _ring.Bytes;

    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> nextObservation, int action, float reward,
                    bool terminated, bool truncated) =>
        _ring.Add(observation, nextObservation, action, reward, terminated, truncated, episode: 0);

    /// <summary>Fills `batch` with `batchSize` transitions drawn uniformly with replacement (as SB3 does).</summary>
    public void Sample(Rng rng, TransitionBatch batch, int batchSize)
    {
        if (Count == 0) throw new InvalidOperationException("Cannot sample from an empty replay buffer.");
        if (batchSize > batch.Capacity)
            throw new ArgumentException($"{nameof(batchSize)} is {batchSize} but the batch holds {batch.Capacity}.", nameof(batchSize));
        if (batch.ObservationSize != ObservationSize)
            throw new ArgumentException($"batch rows have {batch.ObservationSize} elements but the buffer stores {ObservationSize}.", nameof(batch));
        int n = ObservationSize;
        var ring = _ring;
        // Draw every index first, then gather: the gathers are independent loads into a buffer that is mostly out
        // of L2 by now, so the CPU can overlap their cache misses instead of waiting for each row in turn.
        int[] indices = batch.Indices;
        for (int row = 0; row < batchSize; row++) indices[row] = rng.NextInt(Count);
        if (ring.IsPacked)
        {
            GatherPacked(batch, batchSize);
            return;
        }
        float[] observations = ring.Observations, nextObservations = ring.NextObservations;
        float[] batchObservations = batch.Observations, batchNextObservations = batch.NextObservations;
        for (int row = 0; row < batchSize; row++)
        {
            int slot = indices[row];
            // Observations are a handful of floats: an element loop beats 256 calls to Memmove per batch.
            int from = slot * n, to = row * n;
            for (int i = 0; i < n; i++)
            {
                batchObservations[to + i] = observations[from + i];
                batchNextObservations[to + i] = nextObservations[from + i];
            }
            batch.Actions[row] = ring.Actions[slot];
            batch.Rewards[row] = ring.Rewards[slot];
            batch.Terminated[row] = ring.Terminated[slot];
        }
        batch.Count = batchSize;
    }

    private void GatherPacked(TransitionBatch batch, int batchSize)
    {
        int n = ObservationSize, bytes = _ring.PackedRowBytes;
        for (int row = 0; row < batchSize; row++)
        {
            int slot = batch.Indices[row];
            BitRows.Unpack(_ring.PackedObservations.AsSpan(slot * bytes, bytes), batch.Observations.AsSpan(row * n, n));
            BitRows.Unpack(_ring.PackedNextObservations.AsSpan(slot * bytes, bytes), batch.NextObservations.AsSpan(row * n, n));
            batch.Actions[row] = _ring.Actions[slot];
            batch.Rewards[row] = _ring.Rewards[slot];
            batch.Terminated[row] = _ring.Terminated[slot];
        }
        batch.Count = batchSize;
    }

    public bool IsTerminated(int slot) => _ring.Terminated[slot] != 0f;
    public bool IsTruncated(int slot) => _ring.IsTruncated(slot);
    /// <summary>With bit storage: unpacked into one shared row, valid until the next call of either method.</summary>
    public ReadOnlySpan<float> Observation(int slot) => Row(slot, next: false);
    public ReadOnlySpan<float> NextObservation(int slot) => Row(slot, next: true);

    private ReadOnlySpan<float> Row(int slot, bool next)
    {
        if (!_ring.IsPacked)
            return (next ? _ring.NextObservations : _ring.Observations).AsSpan(slot * ObservationSize, ObservationSize);
        _ring.CopyObservation(slot, next, _row);
        return _row;
    }

    public void Save(BinaryWriter writer) => _ring.Save(writer);

    /// <summary>Restores a buffer saved by Save; sizes are validated before anything is read into the arrays.</summary>
    public void Load(BinaryReader reader) => _ring.Load(reader);
}
