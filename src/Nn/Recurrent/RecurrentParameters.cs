namespace DqnStudy.Nn.Recurrent;

/// <summary>
/// One flat float[] for the parameters of a single-layer recurrent cell and one for their gradients,
/// laid out as torch names them: W_ih (G·H, I), W_hh (G·H, H), b_ih (G·H), b_hh (G·H), where G is the
/// number of gate blocks (1 for the tanh RNN, 4 for the LSTM). Optimisers see one span; the cells see views.
/// Private to Recurrent until the core's ParameterBlock is settled (the lead may unify them).
/// </summary>
internal sealed class RecurrentParameters
{
    private const int Magic = 0x4E525144; // "DQRN" little-endian
    private const int FormatVersion = 1;

    private readonly float[] _values;
    private readonly float[] _grads;
    private readonly int _kind;

    public RecurrentParameters(int kind, int gates, int inputSize, int hiddenSize)
    {
        Shapes.RequirePositive(inputSize, nameof(inputSize));
        Shapes.RequirePositive(hiddenSize, nameof(hiddenSize));
        _kind = kind;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Rows = gates * hiddenSize;
        int count = Rows * inputSize + Rows * hiddenSize + 2 * Rows;
        _values = new float[count];
        _grads = new float[count];
    }

    public int InputSize { get; }
    public int HiddenSize { get; }

    /// <summary>G·H: rows of W_ih and W_hh, length of each bias.</summary>
    public int Rows { get; }

    public Span<float> Values => _values;
    public Span<float> Grads => _grads;

    public Span<float> WeightIh(bool grad) => Block(grad).AsSpan(0, Rows * InputSize);
    public Span<float> WeightHh(bool grad) => Block(grad).AsSpan(Rows * InputSize, Rows * HiddenSize);
    public Span<float> BiasIh(bool grad) => Block(grad).AsSpan(Rows * (InputSize + HiddenSize), Rows);
    public Span<float> BiasHh(bool grad) => Block(grad).AsSpan(Rows * (InputSize + HiddenSize + 1), Rows);

    public void ZeroGrad() => Array.Clear(_grads);

    /// <summary>torch's default for nn.RNN/nn.LSTM: every weight and bias ~ U(-k, k), k = scale/√H.</summary>
    public void Initialize(Random rng, double scale)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double bound = scale / Math.Sqrt(HiddenSize);
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] = (float)((rng.NextDouble() * 2.0 - 1.0) * bound);
        }
    }

    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(_kind);
        writer.Write(InputSize);
        writer.Write(HiddenSize);
        writer.Write(_values.Length);
        foreach (float v in _values)
        {
            writer.Write(v);
        }
    }

    /// <summary>Reads what Save wrote into this instance; every header field must match, else nothing is changed.</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        Expect(reader.ReadInt32(), Magic, "magic number");
        Expect(reader.ReadInt32(), FormatVersion, "format version");
        Expect(reader.ReadInt32(), _kind, "cell kind");
        Expect(reader.ReadInt32(), InputSize, "input size");
        Expect(reader.ReadInt32(), HiddenSize, "hidden size");
        Expect(reader.ReadInt32(), _values.Length, "parameter count");
        // Read into a scratch copy first so a truncated stream leaves the cell untouched.
        var loaded = new float[_values.Length];
        for (int i = 0; i < loaded.Length; i++)
        {
            loaded[i] = reader.ReadSingle();
        }
        loaded.CopyTo(_values, 0);
    }

    private float[] Block(bool grad) => grad ? _grads : _values;

    private static void Expect(int actual, int expected, string what)
    {
        if (actual != expected)
        {
            throw new InvalidDataException($"Recurrent checkpoint {what} is {actual} but this cell expects {expected}.");
        }
    }
}
