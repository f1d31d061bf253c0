using DqnStudy.Agent.Seeding;

namespace DqnStudy.Agent.Instruments;

/// <summary>
/// The fixed states every instrument row is measured on: drawn once from the replay buffer, without
/// replacement, by a generator derived from the run seed alone, so that switching instruments on
/// draws nothing from the trainer's Rng and leaves the training trajectory unchanged.
/// </summary>
public sealed class ProbeSet
{
    private const ulong Salt = 0x50524F4245ul;   // "PROBE"
    private float[] _states = [];

    public ProbeSet(int capacity, int observationSize)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be ≥ 1.");
        if (observationSize < 1) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "observationSize must be ≥ 1.");
        Capacity = capacity;
        ObservationSize = observationSize;
    }

    public int Capacity { get; }
    public int ObservationSize { get; }

    /// <summary>States drawn; 0 until <see cref="Draw"/>. Less than Capacity when the buffer held fewer.</summary>
    public int Count { get; private set; }

    public bool IsDrawn => Count > 0;

    /// <summary>(Count, ObservationSize) row-major.</summary>
    public ReadOnlySpan<float> States => _states.AsSpan(0, Count * ObservationSize);

    /// <summary>min(Capacity, buffer.Count) distinct stored observations (a partial Fisher–Yates shuffle of the slots).</summary>
    public void Draw(IObservationStore buffer, int runSeed)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.ObservationSize != ObservationSize)
            throw new ArgumentException($"{nameof(buffer)} stores observations of size {buffer.ObservationSize} but the probe set expects {ObservationSize}.", nameof(buffer));
        if (buffer.Count == 0) throw new ArgumentException($"{nameof(buffer)} is empty: nothing to draw a probe set from.", nameof(buffer));
        var rng = new Rng(Seeds.Agent(runSeed) ^ Salt);
        int count = Math.Min(Capacity, buffer.Count);
        int[] slots = Enumerable.Range(0, buffer.Count).ToArray();
        _states = new float[count * ObservationSize];
        for (int i = 0; i < count; i++)
        {
            int j = i + rng.NextInt(slots.Length - i);
            (slots[i], slots[j]) = (slots[j], slots[i]);
            buffer.Observation(slots[i]).CopyTo(_states.AsSpan(i * ObservationSize, ObservationSize));
        }
        Count = count;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Count);
        for (int i = 0; i < Count * ObservationSize; i++) writer.Write(_states[i]);
    }

    public void Load(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > Capacity)
            throw new InvalidDataException($"Checkpoint holds a probe set of {count} states but probe_size is {Capacity}.");
        _states = new float[count * ObservationSize];
        for (int i = 0; i < _states.Length; i++) _states[i] = reader.ReadSingle();
        Count = count;
    }
}
