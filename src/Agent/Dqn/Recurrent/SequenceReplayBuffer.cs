using DqnStudy.Agent.Seeding;

namespace DqnStudy.Agent.Dqn.Recurrent;

/// <summary>
/// Ring buffer of transitions tagged with their episode index, sampled as sequences of consecutive steps
/// from one episode (Hausknecht and Stone 2015, "bootstrapped random updates"). A start slot is drawn
/// uniformly; it is accepted when the next T steps are stored and belong to its episode, or when it is the
/// first stored step of an episode that has fewer than T stored steps (then the sequence is that whole
/// stored episode, padded). Otherwise it is redrawn; after <see cref="MaxDraws"/> misses the last draw is
/// used cut at its episode's end (padded), so sampling always finishes. No sequence crosses an episode.
/// </summary>
public sealed class SequenceReplayBuffer
{
    public const int MaxDraws = 64;

    private readonly TransitionRing _ring;

    public SequenceReplayBuffer(int capacity, int observationSize) => _ring = new TransitionRing(capacity, observationSize, withEpisodes: true);

    public int Capacity => _ring.Capacity;
    public int ObservationSize => _ring.ObservationSize;
    public int Count => _ring.Count;

    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> nextObservation, int action, float reward,
                    bool terminated, bool truncated, long episode) =>
        _ring.Add(observation, nextObservation, action, reward, terminated, truncated, episode);

    public long EpisodeOf(int slot) => _ring.EpisodeOf(slot);
    public bool IsTerminated(int slot) => _ring.Terminated[slot] != 0f;
    public bool IsTruncated(int slot) => _ring.IsTruncated(slot);

    /// <summary>Slot of the i-th oldest stored transition.</summary>
    public int SlotAt(int age) => (Oldest + age) % Capacity;

    private int Oldest => Count < Capacity ? 0 : _ring.Position;
    private int AgeOf(int slot) => (slot - Oldest + Capacity) % Capacity;

    /// <summary>Fills `batch` with `batchSize` sequences of batch.Steps steps (see the class comment).</summary>
    public void Sample(Rng rng, SequenceBatch batch, int batchSize)
    {
        if (Count == 0) throw new InvalidOperationException("Cannot sample from an empty replay buffer.");
        if (batchSize <= 0 || batchSize > batch.Capacity)
            throw new ArgumentException($"{nameof(batchSize)} is {batchSize} but the batch holds 1..{batch.Capacity}.", nameof(batchSize));
        if (batch.ObservationSize != ObservationSize)
            throw new ArgumentException($"batch rows have {batch.ObservationSize} elements but the buffer stores {ObservationSize}.", nameof(batch));
        int steps = batch.Steps, n = ObservationSize;
        Array.Clear(batch.Observations);
        Array.Clear(batch.TargetInputs);
        for (int b = 0; b < batchSize; b++)
        {
            int age = 0, length = 0;
            for (int draw = 0; draw < MaxDraws && length == 0; draw++)
            {
                age = rng.NextInt(Count);
                length = AcceptedLength(age, steps);
            }
            if (length == 0) length = LengthWithinEpisode(age, steps);

            int start = SlotAt(age);
            batch.StartSlots[b] = start;
            batch.Lengths[b] = length;
            for (int t = 0; t < steps; t++)
            {
                int row = t * batchSize + b;
                if (t >= length)
                {
                    batch.Actions[row] = 0;
                    batch.Rewards[row] = 0f;
                    batch.Terminated[row] = 0f;
                    batch.Mask[row] = 0f;
                    continue;
                }
                int slot = (start + t) % Capacity;
                _ring.Observations.AsSpan(slot * n, n).CopyTo(batch.Observations.AsSpan(row * n, n));
                _ring.Observations.AsSpan(slot * n, n).CopyTo(batch.TargetInputs.AsSpan(row * n, n));
                batch.Actions[row] = _ring.Actions[slot];
                batch.Rewards[row] = _ring.Rewards[slot];
                batch.Terminated[row] = _ring.Terminated[slot];
                batch.Mask[row] = 1f;
                if (t == length - 1)
                    _ring.NextObservations.AsSpan(slot * n, n).CopyTo(batch.TargetInputs.AsSpan(((t + 1) * batchSize + b) * n, n));
            }
        }
        batch.Count = batchSize;
    }

    /// <summary>T if the T steps from age are stored and in one episode; the stored episode's length if it is shorter
    /// than T and age is its first stored step; else 0 (reject).</summary>
    private int AcceptedLength(int age, int steps)
    {
        long episode = EpisodeOf(SlotAt(age));
        if (age + steps - 1 < Count && EpisodeOf(SlotAt(age + steps - 1)) == episode) return steps;
        bool firstOfEpisode = age == 0 || EpisodeOf(SlotAt(age - 1)) != episode;
        return firstOfEpisode ? LengthWithinEpisode(age, steps) : 0;
    }

    /// <summary>Steps from age to the end of its episode (or of the stored data), at most T.</summary>
    private int LengthWithinEpisode(int age, int steps)
    {
        long episode = EpisodeOf(SlotAt(age));
        int length = 1;
        while (length < steps && age + length < Count && EpisodeOf(SlotAt(age + length)) == episode) length++;
        return length;
    }

    public void Save(BinaryWriter writer) => _ring.Save(writer);

    public void Load(BinaryReader reader) => _ring.Load(reader);
}
