namespace DqnStudy.Agent.Runs;

/// <summary>The last N episode returns (SB3's ep_info_buffer, N = 100) and their mean.</summary>
public sealed class ReturnWindow(int size = 100)
{
    private readonly double[] _values = new double[size];
    private int _next;

    public int Count { get; private set; }

    public void Add(double value)
    {
        _values[_next] = value;
        _next = (_next + 1) % _values.Length;
        if (Count < _values.Length) Count++;
    }

    public double Mean()
    {
        if (Count == 0) return double.NaN;
        double sum = 0;
        for (int i = 0; i < Count; i++) sum += _values[i];
        return sum / Count;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_values.Length);
        writer.Write(Count);
        writer.Write(_next);
        foreach (double v in _values) writer.Write(v);
    }

    public void Load(BinaryReader reader)
    {
        int size = reader.ReadInt32();
        int count = reader.ReadInt32();
        int next = reader.ReadInt32();
        if (size != _values.Length || count < 0 || count > size || next < 0 || next >= size)
            throw new InvalidDataException($"Return window in the checkpoint is malformed (size {size}, count {count}, next {next}).");
        for (int i = 0; i < size; i++) _values[i] = reader.ReadDouble();
        Count = count;
        _next = next;
    }
}
