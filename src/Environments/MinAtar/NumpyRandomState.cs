using System.Security.Cryptography;

namespace DqnStudy.Environments.MinAtar;

/// <summary>numpy's legacy <c>np.random.RandomState</c> (numpy 1.17+, same stream as 1.16 and earlier) for the
/// methods MinAtar calls: seeding, <c>rand</c> and <c>randint</c> with the default int64 dtype and the legacy
/// masked rejection sampler. The same seed gives the same numbers as numpy, so the same game as MinAtar's Python.</summary>
public sealed class NumpyRandomState : IRandomSource
{
    private readonly Mt19937 _mt;

    /// <summary><c>RandomState(seed)</c>.</summary>
    public NumpyRandomState(uint seed) => _mt = new Mt19937(seed);

    /// <summary><c>RandomState()</c>: seeded from the operating system's entropy, as numpy does.</summary>
    public NumpyRandomState()
        : this(0)
    {
        Span<uint> key = stackalloc uint[Mt19937.StateLength];
        RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(key));
        _mt.SeedByArray(key);
    }

    /// <summary>The bit generator (its state words and position, for tests).</summary>
    public Mt19937 Generator => _mt;

    /// <summary><c>RandomState(seed)</c> for an int; numpy rejects negative seeds, so does this.</summary>
    public static NumpyRandomState FromSeed(long seed) => new(CheckSeed(seed));

    /// <summary><c>RandomState(array)</c>: numpy's <c>init_by_array</c> path; every value in 0 .. 2^32 - 1.</summary>
    public static NumpyRandomState FromArray(ReadOnlySpan<long> seed)
    {
        uint[] key = new uint[seed.Length];
        for (int i = 0; i < seed.Length; i++)
        {
            key[i] = CheckSeed(seed[i]);
        }

        var state = new NumpyRandomState(0);
        state._mt.SeedByArray(key);
        return state;
    }

    public void Seed(uint seed) => _mt.Seed(seed);

    public double Rand() => _mt.NextDouble();

    public void Rand(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = _mt.NextDouble();
        }
    }

    public long RandInt(long low, long high)
    {
        ulong range = Range(low, high);
        return (long)((ulong)low + Bounded(range));
    }

    public void RandInt(long low, long high, Span<long> destination)
    {
        ulong range = Range(low, high);
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (long)((ulong)low + Bounded(range));
        }
    }

    /// <summary>high - 1 - low as numpy's <c>_rand_int64</c> computes it (unsigned, so the full int64 span fits).</summary>
    private static ulong Range(long low, long high)
    {
        if (low >= high)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high, $"randint needs low < high but low is {low} (numpy: 'low >= high').");
        }

        return (ulong)(high - 1) - (ulong)low;
    }

    /// <summary>numpy's <c>random_bounded_uint64_fill</c> with use_masked = true (the legacy path): a range of 0
    /// draws nothing; a range within 32 bits rejects masked 32-bit outputs, a wider one masked 64-bit outputs.</summary>
    private ulong Bounded(ulong range)
    {
        if (range == 0)
        {
            return 0;
        }

        if (range <= uint.MaxValue)
        {
            if (range == uint.MaxValue)
            {
                return _mt.NextUInt32();
            }

            uint mask32 = (uint)Mask(range);
            uint value32;
            while ((value32 = _mt.NextUInt32() & mask32) > range)
            {
            }

            return value32;
        }

        if (range == ulong.MaxValue)
        {
            return _mt.NextUInt64();
        }

        ulong mask = Mask(range);
        ulong value;
        while ((value = _mt.NextUInt64() & mask) > range)
        {
        }

        return value;
    }

    /// <summary>The smallest all-ones mask covering <paramref name="max"/> (numpy's <c>gen_mask</c>).</summary>
    private static ulong Mask(ulong max)
    {
        ulong mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        return mask;
    }

    private static uint CheckSeed(long seed) =>
        seed is >= 0 and <= uint.MaxValue
            ? (uint)seed
            : throw new ArgumentOutOfRangeException(nameof(seed), seed, $"a RandomState seed must be between 0 and 2**32 - 1 but is {seed} (as numpy requires).");
}
