using System.Globalization;

namespace DqnStudy.Environments;

/// <summary>Gymnasium's float32 <c>Box(low, high, shape)</c>: a flat span of <see cref="Size"/> floats,
/// each within [low, high] (bounds may be infinite).</summary>
public sealed class Box
{
    private readonly float[] _low;
    private readonly float[] _high;
    private readonly int[] _shape;

    /// <summary>A box with per-component bounds; the shape is (low.Length,).</summary>
    public Box(ReadOnlySpan<float> low, ReadOnlySpan<float> high)
        : this(low, high, [low.Length])
    {
    }

    /// <summary>A box with scalar bounds broadcast over <paramref name="shape"/>.</summary>
    public Box(float low, float high, int[] shape)
        : this(Broadcast(low, shape), Broadcast(high, shape), shape)
    {
    }

    public Box(ReadOnlySpan<float> low, ReadOnlySpan<float> high, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int size = SizeOf(shape);
        if (low.Length != size)
        {
            throw new ArgumentException($"low has {low.Length} elements but shape ({string.Join(", ", shape)}) needs {size}.", nameof(low));
        }

        if (high.Length != size)
        {
            throw new ArgumentException($"high has {high.Length} elements but shape ({string.Join(", ", shape)}) needs {size}.", nameof(high));
        }

        for (int i = 0; i < size; i++)
        {
            if (float.IsNaN(low[i]) || float.IsNaN(high[i]) || low[i] > high[i])
            {
                throw new ArgumentException($"bounds at index {i} are invalid: low {low[i]}, high {high[i]}.", nameof(low));
            }
        }

        _low = low.ToArray();
        _high = high.ToArray();
        _shape = (int[])shape.Clone();
        Size = size;
    }

    public ReadOnlySpan<float> Low => _low;

    public ReadOnlySpan<float> High => _high;

    /// <summary>A copy of the shape (Gymnasium's <c>space.shape</c>).</summary>
    public int[] Shape => (int[])_shape.Clone();

    public int Size { get; }

    /// <summary>True when x has exactly <see cref="Size"/> elements, each within [low, high] (NaN is outside).</summary>
    public bool Contains(ReadOnlySpan<float> x)
    {
        if (x.Length != Size)
        {
            return false;
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (!(x[i] >= _low[i] && x[i] <= _high[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Gymnasium's Box.sample: uniform on bounded components, low + Exp(1) / high − Exp(1) on
    /// half-bounded ones, standard normal on unbounded ones; computed in double, stored as float32.</summary>
    public void Sample(Random rng, Span<float> dest)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (dest.Length != Size)
        {
            throw new ArgumentException($"dest has {dest.Length} elements but the box has {Size}.", nameof(dest));
        }

        for (int i = 0; i < Size; i++)
        {
            bool lowBounded = float.IsFinite(_low[i]);
            bool highBounded = float.IsFinite(_high[i]);
            double value;
            if (lowBounded && highBounded)
            {
                value = _low[i] + ((double)_high[i] - _low[i]) * rng.NextDouble();
            }
            else if (lowBounded)
            {
                value = _low[i] + Exponential(rng);
            }
            else if (highBounded)
            {
                value = _high[i] - Exponential(rng);
            }
            else
            {
                value = StandardNormal(rng);
            }

            // Rounding to float32 may land one ulp outside a bound; clamp so Sample always satisfies Contains.
            dest[i] = Math.Clamp((float)value, _low[i], _high[i]);
        }
    }

    public override string ToString()
    {
        string shape = _shape.Length == 1 ? $"({_shape[0]},)" : $"({string.Join(", ", _shape)})";
        return $"Box({Format(_low)}, {Format(_high)}, {shape}, float32)";
    }

    private static string Format(float[] values)
    {
        bool allSame = values.All(v => v.Equals(values[0]));
        return allSame && values.Length > 0
            ? values[0].ToString("R", CultureInfo.InvariantCulture)
            : "[" + string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";
    }

    private static double Exponential(Random rng) => -Math.Log(1.0 - rng.NextDouble());

    private static double StandardNormal(Random rng)
    {
        // Box–Muller; 1 - u keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static int SizeOf(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int size = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"shape ({string.Join(", ", shape)}) has a negative dimension.", nameof(shape));
            }

            size = checked(size * d);
        }

        return size;
    }

    private static float[] Broadcast(float value, int[] shape)
    {
        float[] values = new float[SizeOf(shape)];
        Array.Fill(values, value);
        return values;
    }
}
