using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Environments.Tests.MinAtar;

/// <summary>A random source held to a trajectory's log of calls. Teacher-forced (no inner source): serves the logged
/// results in order. Free-running (an inner source): returns the inner source's results and checks each equals the
/// log. Either way every call must have the logged method and normalised arguments, at the logged moment.</summary>
internal sealed class LoggedRandom(IRandomSource? inner) : IRandomSource
{
    private RngCall[] _calls = [];
    private int _next;
    private string _where = "";

    public List<uint> Seeds { get; } = [];

    /// <summary>Expects exactly <paramref name="calls"/> next, described as <paramref name="where"/> in failures.</summary>
    public void Expect(RngCall[] calls, string where)
    {
        _calls = calls;
        _next = 0;
        _where = where;
    }

    /// <summary>Fails if the game made fewer calls than the log holds.</summary>
    public void CheckExhausted()
    {
        if (_next < _calls.Length)
        {
            throw new ReplayMismatch($"{_where}: {_next} RNG calls made but {_calls.Length} logged; next logged: {_calls[_next].Text}");
        }
    }

    public void Seed(uint seed)
    {
        Seeds.Add(seed);
        inner?.Seed(seed);
    }

    public double Rand() => Doubles(-1, 1)[0];

    public void Rand(Span<double> destination)
    {
        double[] values = Doubles(destination.Length, destination.Length);
        values.CopyTo(destination);
    }

    public long RandInt(long low, long high) => Longs(low, high, -1, 1)[0];

    public void RandInt(long low, long high, Span<long> destination) => Longs(low, high, destination.Length, destination.Length).CopyTo(destination);

    private double[] Doubles(int size, int count)
    {
        RngCall call = Take("rand", 0, 0, size);
        if (inner is null)
        {
            return call.Doubles;
        }

        double[] produced = new double[count];
        if (size < 0)
        {
            produced[0] = inner.Rand();
        }
        else
        {
            inner.Rand(produced);
        }

        CheckResult(call, produced.Select(d => d.ToString("R")), call.Doubles.SequenceEqual(produced));
        return produced;
    }

    private long[] Longs(long low, long high, int size, int count)
    {
        RngCall call = Take("randint", low, high, size);
        if (inner is null)
        {
            return call.Ints;
        }

        long[] produced = new long[count];
        if (size < 0)
        {
            produced[0] = inner.RandInt(low, high);
        }
        else
        {
            inner.RandInt(low, high, produced);
        }

        CheckResult(call, produced.Select(v => v.ToString()), call.Ints.SequenceEqual(produced));
        return produced;
    }

    private RngCall Take(string method, long low, long high, int size)
    {
        string made = method == "rand" ? $"rand(size={size})" : $"randint(low={low}, high={high}, size={size})";
        if (_next >= _calls.Length)
        {
            throw new ReplayMismatch($"{_where}: RNG call #{_next} {made} was made but the log has only {_calls.Length} calls.");
        }

        RngCall call = _calls[_next++];
        if (call.Method != method || call.Low != low || call.High != high || call.Size != size)
        {
            throw new ReplayMismatch($"{_where}: RNG call #{_next - 1} mismatch: the port made {made}, the log has {call.Text}.");
        }

        return call;
    }

    private void CheckResult(RngCall call, IEnumerable<string> produced, bool equal)
    {
        if (!equal)
        {
            throw new ReplayMismatch($"{_where}: RNG call #{_next - 1} {call.Text}: the RandomState port gave [{string.Join(", ", produced)}].");
        }
    }
}

/// <summary>A replay diverged from the log; the message says where and how.</summary>
internal sealed class ReplayMismatch(string message) : Exception(message);
