using System.Runtime.InteropServices;

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

    private readonly float[] _observations;      // (capacity, obsSize)
    private readonly float[] _nextObservations;  // (capacity, obsSize)
    private readonly int[] _actions;
    private readonly float[] _rewards;
    private readonly float[] _terminated;
    private readonly bool[] _truncated;
    private readonly long[] _episodes;
    private int _position;

    public SequenceReplayBuffer(int capacity, int observationSize)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive.");
        if (observationSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "observationSize must be positive.");
        Capacity = capacity;
        ObservationSize = observationSize;
        _observations = new float[capacity * observationSize];
        _nextObservations = new float[capacity * observationSize];
        _actions = new int[capacity];
        _rewards = new float[capacity];
        _terminated = new float[capacity];
        _truncated = new bool[capacity];
        _episodes = new long[capacity];
    }

    public int Capacity { get; }
    public int ObservationSize { get; }
    public int Count { get; private set; }

    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> nextObservation, int action, float reward,
                    bool terminated, bool truncated, long episode)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"{nameof(observation)} has {observation.Length} elements but the buffer stores {ObservationSize}.", nameof(observation));
        if (nextObservation.Length != ObservationSize)
            throw new ArgumentException($"{nameof(nextObservation)} has {nextObservation.Length} elements but the buffer stores {ObservationSize}.", nameof(nextObservation));
        int offset = _position * ObservationSize;
        observation.CopyTo(_observations.AsSpan(offset, ObservationSize));
        nextObservation.CopyTo(_nextObservations.AsSpan(offset, ObservationSize));
        _actions[_position] = action;
        _rewards[_position] = reward;
        _terminated[_position] = terminated ? 1f : 0f;
        _truncated[_position] = truncated;
        _episodes[_position] = episode;
        _position = (_position + 1) % Capacity;
        if (Count < Capacity) Count++;
    }

    public long EpisodeOf(int slot) => _episodes[slot];
    public bool IsTerminated(int slot) => _terminated[slot] != 0f;
    public bool IsTruncated(int slot) => _truncated[slot];

    /// <summary>Slot of the i-th oldest stored transition.</summary>
    public int SlotAt(int age) => (Oldest + age) % Capacity;

    private int Oldest => Count < Capacity ? 0 : _position;
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
                _observations.AsSpan(slot * n, n).CopyTo(batch.Observations.AsSpan(row * n, n));
                _observations.AsSpan(slot * n, n).CopyTo(batch.TargetInputs.AsSpan(row * n, n));
                batch.Actions[row] = _actions[slot];
                batch.Rewards[row] = _rewards[slot];
                batch.Terminated[row] = _terminated[slot];
                batch.Mask[row] = 1f;
                if (t == length - 1)
                    _nextObservations.AsSpan(slot * n, n).CopyTo(batch.TargetInputs.AsSpan(((t + 1) * batchSize + b) * n, n));
            }
        }
        batch.Count = batchSize;
    }

    /// <summary>T if the T steps from age are stored and in one episode; the stored episode's length if it is shorter
    /// than T and age is its first stored step; else 0 (reject).</summary>
    private int AcceptedLength(int age, int steps)
    {
        long episode = _episodes[SlotAt(age)];
        if (age + steps - 1 < Count && _episodes[SlotAt(age + steps - 1)] == episode) return steps;
        bool firstOfEpisode = age == 0 || _episodes[SlotAt(age - 1)] != episode;
        return firstOfEpisode ? LengthWithinEpisode(age, steps) : 0;
    }

    /// <summary>Steps from age to the end of its episode (or of the stored data), at most T.</summary>
    private int LengthWithinEpisode(int age, int steps)
    {
        long episode = _episodes[SlotAt(age)];
        int length = 1;
        while (length < steps && age + length < Count && _episodes[SlotAt(age + length)] == episode) length++;
        return length;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Capacity);
        writer.Write(ObservationSize);
        writer.Write(Count);
        writer.Write(_position);
        int n = Count * ObservationSize;
        writer.Write(MemoryMarshal.AsBytes(_observations.AsSpan(0, n)));
        writer.Write(MemoryMarshal.AsBytes(_nextObservations.AsSpan(0, n)));
        writer.Write(MemoryMarshal.AsBytes(_actions.AsSpan(0, Count)));
        writer.Write(MemoryMarshal.AsBytes(_rewards.AsSpan(0, Count)));
        writer.Write(MemoryMarshal.AsBytes(_terminated.AsSpan(0, Count)));
        writer.Write(MemoryMarshal.AsBytes(_episodes.AsSpan(0, Count)));
        for (int i = 0; i < Count; i++) writer.Write(_truncated[i]);
    }

    public void Load(BinaryReader reader)
    {
        int capacity = reader.ReadInt32();
        int observationSize = reader.ReadInt32();
        int count = reader.ReadInt32();
        int position = reader.ReadInt32();
        if (capacity != Capacity || observationSize != ObservationSize)
            throw new InvalidDataException($"Replay buffer in the checkpoint is {capacity}×{observationSize} but the config asks for {Capacity}×{ObservationSize}.");
        if (count < 0 || count > Capacity || position < 0 || position >= Capacity || (count < Capacity && position != count))
            throw new InvalidDataException($"Replay buffer in the checkpoint has an impossible fill state (count {count}, position {position}, capacity {Capacity}).");
        int n = count * ObservationSize;
        ReadExactly(reader, MemoryMarshal.AsBytes(_observations.AsSpan(0, n)));
        ReadExactly(reader, MemoryMarshal.AsBytes(_nextObservations.AsSpan(0, n)));
        ReadExactly(reader, MemoryMarshal.AsBytes(_actions.AsSpan(0, count)));
        ReadExactly(reader, MemoryMarshal.AsBytes(_rewards.AsSpan(0, count)));
        ReadExactly(reader, MemoryMarshal.AsBytes(_terminated.AsSpan(0, count)));
        ReadExactly(reader, MemoryMarshal.AsBytes(_episodes.AsSpan(0, count)));
        for (int i = 0; i < count; i++) _truncated[i] = reader.ReadBoolean();
        Count = count;
        _position = position;
    }

    private static void ReadExactly(BinaryReader reader, Span<byte> destination)
    {
        try
        {
            reader.BaseStream.ReadExactly(destination);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("The checkpoint ends inside the replay buffer (truncated file).");
        }
    }
}
