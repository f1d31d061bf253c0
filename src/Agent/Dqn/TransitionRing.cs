using System.Runtime.InteropServices;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// The storage both replay buffers share: preallocated columns of (s, s', a, r, terminated, truncated) and,
/// for the sequence buffer, each step's episode index, written as a ring; and the checkpoint form of its
/// filled prefix. How transitions are sampled belongs to the buffers (<see cref="ReplayBuffer"/>,
/// <see cref="Recurrent.SequenceReplayBuffer"/>). With bit storage the observations live packed in
/// <see cref="PackedObservations"/> (see <see cref="BitRows"/>) and the float columns are empty.
/// </summary>
public sealed class TransitionRing
{
    private readonly bool[] _truncated;
    private readonly long[]? _episodes;

    public TransitionRing(int capacity, int observationSize, bool withEpisodes, bool packBits = false)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be positive.");
        if (observationSize <= 0) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "observationSize must be positive.");
        Capacity = capacity;
        ObservationSize = observationSize;
        IsPacked = packBits;
        PackedRowBytes = packBits ? BitRows.BytesPerRow(observationSize) : 0;
        Observations = packBits ? [] : new float[capacity * observationSize];
        NextObservations = packBits ? [] : new float[capacity * observationSize];
        PackedObservations = packBits ? new byte[(long)capacity * PackedRowBytes] : [];
        PackedNextObservations = packBits ? new byte[(long)capacity * PackedRowBytes] : [];
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

    /// <summary>Observations are stored one bit per value (<see cref="BitRows"/>).</summary>
    public bool IsPacked { get; }
    public int PackedRowBytes { get; }
    public float[] Observations { get; }      // (capacity, obsSize); empty when packed
    public float[] NextObservations { get; }  // (capacity, obsSize); empty when packed
    public byte[] PackedObservations { get; }      // (capacity, PackedRowBytes); empty unless packed
    public byte[] PackedNextObservations { get; }  // (capacity, PackedRowBytes); empty unless packed

    /// <summary>Memory the ring's arrays take.</summary>
    public long Bytes => 4L * (Observations.Length + NextObservations.Length + Actions.Length + Rewards.Length + Terminated.Length)
                         + PackedObservations.Length + PackedNextObservations.Length + _truncated.Length + 8L * (_episodes?.Length ?? 0);

    /// <summary>Slot's observation (or next observation) as floats, whichever the storage.</summary>
    public void CopyObservation(int slot, bool next, Span<float> destination)
    {
        if (IsPacked)
        {
            byte[] packed = next ? PackedNextObservations : PackedObservations;
            BitRows.Unpack(packed.AsSpan(slot * PackedRowBytes, PackedRowBytes), destination[..ObservationSize]);
        }
        else
        {
            (next ? NextObservations : Observations).AsSpan(slot * ObservationSize, ObservationSize).CopyTo(destination);
        }
    }
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
        if (IsPacked)
        {
            BitRows.Pack(observation, PackedObservations.AsSpan(slot * PackedRowBytes, PackedRowBytes));
            BitRows.Pack(nextObservation, PackedNextObservations.AsSpan(slot * PackedRowBytes, PackedRowBytes));
        }
        else
        {
            observation.CopyTo(Observations.AsSpan(slot * ObservationSize, ObservationSize));
            nextObservation.CopyTo(NextObservations.AsSpan(slot * ObservationSize, ObservationSize));
        }
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
        writer.Write(StoredObservationSize);
        writer.Write(Count);
        writer.Write(Position);
        // Only the filled prefix: a buffer that has not wrapped yet stores slots 0..Count-1.
        if (IsPacked)
        {
            writer.Write(PackedObservations.AsSpan(0, Count * PackedRowBytes));
            writer.Write(PackedNextObservations.AsSpan(0, Count * PackedRowBytes));
        }
        else
        {
            int n = Count * ObservationSize;
            writer.Write(MemoryMarshal.AsBytes(Observations.AsSpan(0, n)));
            writer.Write(MemoryMarshal.AsBytes(NextObservations.AsSpan(0, n)));
        }
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
        if (capacity != Capacity || observationSize != StoredObservationSize)
            throw new InvalidDataException($"Replay buffer in the checkpoint is {capacity}×{Describe(observationSize)} but the config asks for {Capacity}×{Describe(StoredObservationSize)}.");
        if (count < 0 || count > Capacity || position < 0 || position >= Capacity || (count < Capacity && position != count))
            throw new InvalidDataException($"Replay buffer in the checkpoint has an impossible fill state (count {count}, position {position}, capacity {Capacity}).");
        if (IsPacked)
        {
            ReadExactly(reader, PackedObservations.AsSpan(0, count * PackedRowBytes));
            ReadExactly(reader, PackedNextObservations.AsSpan(0, count * PackedRowBytes));
        }
        else
        {
            int n = count * ObservationSize;
            ReadExactly(reader, MemoryMarshal.AsBytes(Observations.AsSpan(0, n)));
            ReadExactly(reader, MemoryMarshal.AsBytes(NextObservations.AsSpan(0, n)));
        }
        ReadExactly(reader, MemoryMarshal.AsBytes(Actions.AsSpan(0, count)));
        ReadExactly(reader, MemoryMarshal.AsBytes(Rewards.AsSpan(0, count)));
        ReadExactly(reader, MemoryMarshal.AsBytes(Terminated.AsSpan(0, count)));
        if (_episodes is not null) ReadExactly(reader, MemoryMarshal.AsBytes(_episodes.AsSpan(0, count)));
        for (int i = 0; i < count; i++) _truncated[i] = reader.ReadBoolean();
        Count = count;
        Position = position;
    }

    // The checkpoint marks bit storage by a negative observation size, so float checkpoints keep their old form and
    // neither kind of buffer can read the other's.
    private int StoredObservationSize => IsPacked ? -ObservationSize : ObservationSize;

    private static string Describe(int storedSize) => storedSize < 0 ? $"{-storedSize} bits" : $"{storedSize} floats";

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
