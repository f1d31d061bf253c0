namespace DqnStudy.Environments.MinAtar;

/// <summary>The Mersenne Twister MT19937 (Matsumoto and Nishimura 1998) as numpy's legacy <c>RandomState</c>
/// drives it: <c>init_genrand</c> for an integer seed, <c>init_by_array</c> for an array seed, the standard
/// twist and tempering, and numpy's 53-bit double and 64-bit composition of 32-bit outputs.</summary>
public sealed class Mt19937
{
    public const int StateLength = 624;
    private const int Shift = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _key = new uint[StateLength];
    private int _position;

    public Mt19937(uint seed) => Seed(seed);

    /// <summary>Index of the next word of the state to temper; 624 means a twist comes first.</summary>
    public int Position => _position;

    /// <summary>The 624 state words (numpy's <c>get_state()[1]</c>).</summary>
    public ReadOnlySpan<uint> Key => _key;

    /// <summary><c>init_genrand</c>: numpy's <c>mt19937_seed</c>, used for <c>RandomState(int)</c>.</summary>
    public void Seed(uint seed)
    {
        _key[0] = seed;
        for (int i = 1; i < StateLength; i++)
        {
            uint previous = _key[i - 1];
            _key[i] = 1812433253u * (previous ^ (previous >> 30)) + (uint)i;
        }

        _position = StateLength;
    }

    /// <summary><c>init_by_array</c>: numpy's <c>mt19937_init_by_array</c>, used for <c>RandomState(array)</c>.</summary>
    public void SeedByArray(ReadOnlySpan<uint> initKey)
    {
        if (initKey.IsEmpty)
        {
            throw new ArgumentException("an array seed must hold at least one value (numpy: 'Seed must be non-empty').", nameof(initKey));
        }

        Seed(19650218u);
        uint[] mt = _key;
        int i = 1, j = 0;
        for (int k = Math.Max(StateLength, initKey.Length); k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + initKey[j] + (uint)j;
            i++;
            j++;
            if (i >= StateLength)
            {
                mt[0] = mt[StateLength - 1];
                i = 1;
            }

            if (j >= initKey.Length)
            {
                j = 0;
            }
        }

        for (int k = StateLength - 1; k > 0; k--)
        {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint)i;
            i++;
            if (i >= StateLength)
            {
                mt[0] = mt[StateLength - 1];
                i = 1;
            }
        }

        mt[0] = 0x80000000u; // the top bit set assures a non-zero state
        _position = StateLength;
    }

    public uint NextUInt32()
    {
        if (_position == StateLength)
        {
            Twist();
        }

        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>numpy's <c>mt19937_next64</c>: the first 32-bit output is the high half.</summary>
    public ulong NextUInt64()
    {
        ulong high = NextUInt32();
        return (high << 32) | NextUInt32();
    }

    /// <summary>numpy's <c>mt19937_next_double</c>: 27 + 26 bits, a multiple of 2^-53 in [0, 1).</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    private void Twist()
    {
        uint[] mt = _key;
        int i = 0;
        for (; i < StateLength - Shift; i++)
        {
            uint y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + Shift] ^ (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
        }

        for (; i < StateLength - 1; i++)
        {
            uint y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + Shift - StateLength] ^ (y >> 1) ^ ((0u - (y & 1)) & MatrixA);
        }

        uint last = (mt[StateLength - 1] & UpperMask) | (mt[0] & LowerMask);
        mt[StateLength - 1] = mt[Shift - 1] ^ (last >> 1) ^ ((0u - (last & 1)) & MatrixA);
        _position = 0;
    }
}
