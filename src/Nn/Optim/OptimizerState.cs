using DqnStudy.Nn.Serialization;

namespace DqnStudy.Nn.Optim;

/// <summary>
/// The step count and state vectors every optimiser keeps, with the size checks and the checkpoint format
/// ("DQNO", version, optimiser name, parameter count, state-vector count, step count, then the vectors).
/// </summary>
internal sealed class OptimizerState
{
    private static ReadOnlySpan<byte> Magic => "DQNO"u8;
    private const int FormatVersion = 1;

    private readonly string _name;
    private readonly float[][] _vectors;

    public OptimizerState(string name, int count, int vectorCount)
    {
        Shapes.RequirePositive(count, nameof(count));
        _name = name;
        Count = count;
        _vectors = new float[vectorCount][];
        for (int i = 0; i < vectorCount; i++)
        {
            _vectors[i] = new float[count];
        }
    }

    public int Count { get; }

    public long StepCount { get; set; }

    public float[] this[int index] => _vectors[index];

    public void Require(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        Shapes.RequireExact(parameters.Length, Count, nameof(parameters) + ".Length");
        Shapes.RequireExact(gradients.Length, Count, nameof(gradients) + ".Length");
    }

    public void Save(BinaryWriter writer)
    {
        BinaryFormat.WriteHeader(writer, Magic, FormatVersion);
        writer.Write(NameCode(_name));
        writer.Write(Count);
        writer.Write(_vectors.Length);
        writer.Write(StepCount);
        foreach (float[] vector in _vectors)
        {
            BinaryFormat.WriteFloats(writer, vector);
        }
    }

    /// <summary>Validates everything before reading a single state value; state is replaced only when the
    /// whole payload was read.</summary>
    public void Load(BinaryReader reader)
    {
        BinaryFormat.ReadHeader(reader, Magic, FormatVersion, "DqnStudy optimiser state");
        int code = BinaryFormat.ReadInt32(reader, "optimiser kind");
        if (code != NameCode(_name))
        {
            throw new InvalidDataException($"The file holds optimiser kind {code} but this is {_name} ({NameCode(_name)}).");
        }
        BinaryFormat.Expect(reader, Count, "optimiser parameter count");
        BinaryFormat.Expect(reader, _vectors.Length, "optimiser state-vector count");
        long step = BinaryFormat.ReadInt64(reader, "optimiser step count");
        if (step < 0)
        {
            throw new InvalidDataException($"The optimiser step count is {step}; it cannot be negative.");
        }
        var staged = new float[_vectors.Length][];   // checkpoint loading, not a hot path: sizes already validated
        for (int i = 0; i < _vectors.Length; i++)
        {
            staged[i] = new float[Count];
            BinaryFormat.ReadFloats(reader, staged[i], $"optimiser state vector {i}");
        }
        for (int i = 0; i < _vectors.Length; i++)
        {
            staged[i].CopyTo(_vectors[i], 0);
        }
        StepCount = step;
    }

    // A stable integer per optimiser kind, so no variable-length string is read from a file.
    private static int NameCode(string name) => name switch
    {
        "sgd" => 1,
        "adam" => 2,
        "rmsprop" => 3,
        "deepmind_rmsprop" => 4,
        _ => throw new InvalidOperationException("Unknown optimiser " + name),
    };
}
