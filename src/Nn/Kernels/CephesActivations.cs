using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DqnStudy.Nn.Kernels;

/// <summary>
/// Vectorised tanh and sigmoid accurate to a few ulps everywhere, including near 0: the forms <see cref="Tanh.Exact"/>
/// and <see cref="Sigmoid.Exact"/> expose, which the recurrent cells use. Not TensorPrimitives: its Tanh is −z/(z+2) with
/// z = e^(−2|x|) − 1 formed by subtraction, so near 0 it returns exp's rounding error instead of x (Tanh(0) = −6e-8,
/// Tanh(1e-7) has the wrong sign), which breaks the exactly linear zero-input RNN the spectral study relies on.
/// Patching exact zeros afterwards would hide only x = 0; the odd polynomial below is right for every small x instead:
/// tanh(x) = x + x³·P(x²) rounds to x itself once |x| &lt; 2^−12 (x³/3 is then below half an ulp of x), and keeps the
/// sign of ±0. Deterministic by construction: every element, body or tail, goes through the same Vector256 code with
/// plain multiplies and adds (no FMA, no estimates), so a value's result depends on nothing but the value and is the
/// same on any x64. Coefficients and range reduction are Cephes' tanhf/expf (S. Moshier).
/// </summary>
internal static class CephesActivations
{
    private const float SmallTanh = 0.625f;            // below: the odd polynomial; above: 1 − 2/(e^2|x| + 1)
    private const float ExpOverflow = 88.72283f;       // above: e^x = +∞
    private const float ExpUnderflow = -87.33654f;     // below: e^x = 0 (flushes the subnormal results)
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;        // ln 2 = Ln2High + Ln2Low, Ln2High exact in few bits
    private const float Ln2Low = -2.12194440e-4f;

    /// <summary>One elementwise function on eight floats at a time.</summary>
    public interface IVectorFunction
    {
        static abstract Vector256<float> Apply(Vector256<float> x);
    }

    public readonly struct TanhFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> x) => TanhVector(x);
    }

    public readonly struct SigmoidFunction : IVectorFunction
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(Vector256<float> x) => SigmoidVector(x);
    }

    /// <summary>y = f(x) elementwise; x and y may be the same span.  x:(N)  y:(N).</summary>
    public static void Map<TFunction>(ReadOnlySpan<float> x, Span<float> y) where TFunction : IVectorFunction
    {
        Shapes.Require(y, x.Length, nameof(y));
        int i = 0;
        for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            Store(TFunction.Apply(Load(x, i)), y, i);
        }
        if (i < x.Length)
        {
            // The tail goes through the same vector code, padded with zeros, so its values match the body's bit for bit.
            Span<float> pad = stackalloc float[Vector256<float>.Count];
            x[i..].CopyTo(pad);
            Store(TFunction.Apply(Load(pad, 0)), pad, 0);
            pad[..(x.Length - i)].CopyTo(y[i..]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> TanhVector(Vector256<float> x)
    {
        Vector256<float> signBit = Vector256.Create(-0f);
        Vector256<float> magnitude = Vector256.AndNot(x, signBit);

        // |x| < 0.625: |x| + |x|·z·P(z), z = x², then x's sign (x + x·z·P would turn −0 into +0: P(0) < 0).
        Vector256<float> z = x * x;
        Vector256<float> p = Vector256.Create(-5.70498872745e-3f);
        p = p * z + Vector256.Create(2.06390887954e-2f);
        p = p * z + Vector256.Create(-5.37397155531e-2f);
        p = p * z + Vector256.Create(1.33314422036e-1f);
        p = p * z + Vector256.Create(-3.33332819422e-1f);
        Vector256<float> small = (magnitude * z * p + magnitude) | (x & signBit);

        // |x| ≥ 0.625: 1 − 2/(e^2|x| + 1), which reaches exactly 1 as e^2|x| grows (+∞ included); sign of x restored.
        Vector256<float> e = ExpVector(magnitude + magnitude);
        Vector256<float> large = Vector256.Create(1f) - Vector256.Create(2f) / (e + Vector256.Create(1f));
        large |= x & signBit;

        // NaN fails the comparison and takes the large branch, whose exp returns NaN.
        return Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(SmallTanh)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> SigmoidVector(Vector256<float> x)
    {
        Vector256<float> one = Vector256.Create(1f);
        return one / (one + ExpVector(-x));
    }

    /// <summary>e^x: x = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' degree-7 polynomial, 2^n put into the exponent bits.
    /// +∞ above 88.72, 0 below −87.34, NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> ExpVector(Vector256<float> x)
    {
        Vector256<float> overflow = Vector256.GreaterThan(x, Vector256.Create(ExpOverflow));
        Vector256<float> underflow = Vector256.LessThan(x, Vector256.Create(ExpUnderflow));
        Vector256<float> isNan = ~Vector256.Equals(x, x);
        // Clamp by select (not Min/Max, whose NaN handling varies) so n stays in range; the masks fix the ends up.
        Vector256<float> clamped = Vector256.ConditionalSelect(overflow, Vector256.Create(ExpOverflow), x);
        clamped = Vector256.ConditionalSelect(underflow | isNan, Vector256.Create(ExpUnderflow), clamped);

        Vector256<float> n = Vector256.Floor(clamped * Vector256.Create(Log2E) + Vector256.Create(0.5f));
        Vector256<float> r = clamped - n * Vector256.Create(Ln2High);
        r -= n * Vector256.Create(Ln2Low);
        Vector256<float> r2 = r * r;
        Vector256<float> p = Vector256.Create(1.9875691500e-4f);
        p = p * r + Vector256.Create(1.3981999507e-3f);
        p = p * r + Vector256.Create(8.3334519073e-3f);
        p = p * r + Vector256.Create(4.1665795894e-2f);
        p = p * r + Vector256.Create(1.6666665459e-1f);
        p = p * r + Vector256.Create(5.0000001201e-1f);
        Vector256<float> er = p * r2 + r + Vector256.Create(1f);

        // 2^n for n in [−126, 128] as 2^⌊n/2⌋·2^(n−⌊n/2⌋): each factor a normal float (2^128 is not one), and scaling
        // by powers of two is exact while the result stays normal.
        Vector256<int> whole = Vector256.ConvertToInt32(n);
        Vector256<int> half = whole >> 1;
        Vector256<float> scaleA = ((half + Vector256.Create(127)) << 23).AsSingle();
        Vector256<float> scaleB = ((whole - half + Vector256.Create(127)) << 23).AsSingle();
        Vector256<float> result = er * scaleA * scaleB;

        result = Vector256.ConditionalSelect(overflow, Vector256.Create(float.PositiveInfinity), result);
        result = Vector256.ConditionalSelect(underflow, Vector256<float>.Zero, result);
        return Vector256.ConditionalSelect(isNan, x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Load(ReadOnlySpan<float> x, int offset) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(x), (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<float> value, Span<float> y, int offset) =>
        value.StoreUnsafe(ref MemoryMarshal.GetReference(y), (nuint)offset);
}
