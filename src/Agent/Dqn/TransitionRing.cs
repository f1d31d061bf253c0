using System.Runtime.InteropServices;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// The storage both replay buffers share: preallocated columns of (s, s', a, r, terminated, truncated) and,
/// for the sequence buffer, each step's episode index, written as a ring; and the checkpoint form of its
/// filled prefix. How transitions are sampled belongs to the buffers (<see cref="ReplayBuffer"/>,
/// <see cref="Recurrent.SequenceReplayBuffer"/>).
/// </summary>
public sealed class TransitionRing
{
    private readonly bool[] _truncated;
    private readonly long[]? _episodes;

    public TransitionRing(int capacity, int observationSize, bool withEpisodes)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive.");
        if (observationSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "observationSize must be positive.");
        Capacity = capacity;
        ObservationSize = observationSize;
        Observations = new float[capacity * observationSize];
        NextObservations = new float[capacity * observationSize];
        Actions = new int[capacity];
        Rewards = new float[capacity];
        Terminated = new float[capacity];
        _truncated = new bool[capacity];
        _episodes = withEpisodes ? new long[capacity] : null;
    }

    public int Capacity { get; }
    public int ObservationSize { get; }
    public int Count { get; private set; }
    /// <summary>The slot the next Add writes.</summary>
    public int Position { get; private set; }

    public float[] Observations { get; }      // (capacity, obsSize)
    public float[] NextObservations { get; }  // (capacity, obsSize)
    public int[] Actions { get; }             // (capacity)
    public float[] Rewards { get; }           // (capacity)
    public float[] Terminated { get; }        // (capacity): 1 or 0, the TD target's mask
    public bool IsTruncated(int slot) => _truncated[slot];
    public long EpisodeOf(int slot) => _episodes![slot];

    /// <summary>`episode` is stored only by a ring made withEpisodes.</summary>
    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> nextObservation, int action, float reward,
                    bool terminated, bool truncated, long episode)
    {
        if (observation.Length != ObservationSize)
            throw new ArgumentException($"{nameof(observation)} has {observation.Length} elements but the buffer stores {ObservationSize}.", nameof(observation));
        if (nextObservation.Length != ObservationSize)
            throw new ArgumentException($"{nameof(nextObservation)} has {nextObservation.Length} elements but the buffer stores {ObservationSize}.", nameof(nextObservation));
        int slot = Position;
        observation.CopyTo(Observations.AsSpan(slot * ObservationSize, ObservationSize));
        nextObservation.CopyTo(NextObservations.AsSpan(slot * ObservationSize, ObservationSize));
        Actions[slot] = action;
        Rewards[slot] = reward;
        Terminated[slot] = terminated ? 1f : 0f;
        _truncated[slot] = truncated;
        if (_episodes is not null) _episodes[slot] = episode;
        Position = (slot + 1) % Capacity;
        if (Count < Capacity) Count++;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Capacity);
        writer.Write(ObservationSize);
        writer.Write(Count);
        writer.Write(Position);
        // Only the filled prefix: a buffer that has not wrapped yet stores slots 0..Count-1.
        int n = Count * ObservationSize;
        writer.Write(MemoryMarshal.AsBytes(Observations.AsSpan(0, n)));
        writer.Write(MemoryMarshal.AsBytes(NextObservations.AsSpan(0, n)));
        writer.Write(MemoryMarshal.AsBytes(Actions.AsSpan(0, Count)));
        writer.Write(MemoryMarshal.AsBytes(Rewards.AsSpan(0, Count)));
        writer.Write(MemoryMarshal.AsBytes(Terminated.AsSpan(0, Count)));
        if (_episodes is not null) writer.Write(MemoryMarshal.AsBytes(_episodes.AsSpan(0, Count)));
        for (int i = 0; i < Count; i++) writer.Write(_truncated[i]);
    }

    /// <summary>Restores a ring saved by Save; sizes are validated before anything is read into the arrays.</summary>
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
        ReadExactly(reader, MemoryMarshal.AsBytes(Observations.AsSpan(0, n)));
        ReadExactly(reader, MemoryMarshal.AsBytes(NextObservations.AsSpan(0, n)));
        ReadExactly(reader, MemoryMarshal.AsBytes(Actions.AsSpan(0, count)));
        ReadExactly(reader, MemoryMarshal.AsBytes(Rewards.AsSpan(0, count)));
        ReadExactly(reader, MemoryMarshal.AsBytes(Terminated.AsSpan(0, count)));
        if (_episodes is not null) ReadExactly(reader, MemoryMarshal.AsBytes(_episodes.AsSpan(0, count)));
        for (int i = 0; i < count; i++) _truncated[i] = reader.ReadBoolean();
        Count = count;
        Position = position;
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
