using System.Runtime.InteropServices;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// Fixed-capacity ring buffer of transitions (s, a, r, s', terminated), preallocated in full.
/// s' is the true next observation — on a truncated step the final observation of the episode,
/// not the first of the next one — and `terminated` alone says whether to bootstrap, as in
/// cleanrl and Stable-Baselines3 (handle_timeout_termination).
/// </summary>
public sealed class ReplayBuffer
{
    private readonly float[] _observations;      // (capacity, obsSize)
    private readonly float[] _nextObservations;  // (capacity, obsSize)
    private readonly int[] _actions;
    private readonly float[] _rewards;
    private readonly float[] _terminated;
    private readonly bool[] _truncated;
    private int _position;

    public ReplayBuffer(int capacity, int observationSize)
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
    }

    public int Capacity { get; }
    public int ObservationSize { get; }
    public int Count { get; private set; }
    /// <summary>The slot the next Add writes.</summary>
    public int Position => _position;

    public void Add(ReadOnlySpan<float> observation, ReadOnlySpan<float> nextObservation, int action, float reward,
                    bool terminated, bool truncated)
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
        _position = (_position + 1) % Capacity;
        if (Count < Capacity) Count++;
    }

    /// <summary>Fills `batch` with `batchSize` transitions drawn uniformly with replacement (as SB3 does).</summary>
    public void Sample(Rng rng, TransitionBatch batch, int batchSize)
    {
        if (Count == 0) throw new InvalidOperationException("Cannot sample from an empty replay buffer.");
        if (batchSize > batch.Capacity)
            throw new ArgumentException($"{nameof(batchSize)} is {batchSize} but the batch holds {batch.Capacity}.", nameof(batchSize));
        if (batch.ObservationSize != ObservationSize)
            throw new ArgumentException($"batch rows have {batch.ObservationSize} elements but the buffer stores {ObservationSize}.", nameof(batch));
        int n = ObservationSize;
        for (int row = 0; row < batchSize; row++)
        {
            int slot = rng.NextInt(Count);
            batch.Indices[row] = slot;
            _observations.AsSpan(slot * n, n).CopyTo(batch.Observations.AsSpan(row * n, n));
            _nextObservations.AsSpan(slot * n, n).CopyTo(batch.NextObservations.AsSpan(row * n, n));
            batch.Actions[row] = _actions[slot];
            batch.Rewards[row] = _rewards[slot];
            batch.Terminated[row] = _terminated[slot];
        }
        batch.Count = batchSize;
    }

    public bool IsTerminated(int slot) => _terminated[slot] != 0f;
    public bool IsTruncated(int slot) => _truncated[slot];
    public ReadOnlySpan<float> Observation(int slot) => _observations.AsSpan(slot * ObservationSize, ObservationSize);
    public ReadOnlySpan<float> NextObservation(int slot) => _nextObservations.AsSpan(slot * ObservationSize, ObservationSize);

    public void Save(BinaryWriter writer)
    {
        writer.Write(Capacity);
        writer.Write(ObservationSize);
        writer.Write(Count);
        writer.Write(_position);
        // Only the filled prefix: a buffer that has not wrapped yet stores slots 0..Count-1.
        int n = Count * ObservationSize;
        writer.Write(MemoryMarshal.AsBytes(_observations.AsSpan(0, n)));
        writer.Write(MemoryMarshal.AsBytes(_nextObservations.AsSpan(0, n)));
        writer.Write(MemoryMarshal.AsBytes(_actions.AsSpan(0, Count)));
        writer.Write(MemoryMarshal.AsBytes(_rewards.AsSpan(0, Count)));
        writer.Write(MemoryMarshal.AsBytes(_terminated.AsSpan(0, Count)));
        for (int i = 0; i < Count; i++) writer.Write(_truncated[i]);
    }

    /// <summary>Restores a buffer saved by Save; sizes are validated before anything is read into the arrays.</summary>
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
