using DqnStudy.Nn.Kernels;

namespace DqnStudy.Nn.Tests.Kernels;

/// <summary>The exact (Cephes) tanh and sigmoid the recurrent cells use, against double-precision math, in ulps of the float result.</summary>
public sealed class ExactActivationsTests
{
    private const long MaxUlps = 3;

    [Fact]
    public void Tanh_IsWithinFewUlpsOfDouble_OverEveryRange()
    {
        float[] x = Sweep();
        float[] y = new float[x.Length];
        Tanh.Exact(x, y);
        AssertUlps("tanh", x, y, v => Math.Tanh(v));
    }

    [Fact]
    public void Sigmoid_IsWithinFewUlpsOfDouble_OverEveryRange()
    {
        // Below −88.72, e^−x is +∞ and σ is exactly 0 (checked apart); above it every result is a float worth measuring.
        float[] x = Sweep().Where(v => v >= -88.7f).ToArray();
        float[] y = new float[x.Length];
        Sigmoid.Exact(x, y);
        AssertUlps("sigmoid", x, y, v => 1.0 / (1.0 + Math.Exp(-v)));
    }

    [Fact]
    public void Tanh_IsTheIdentityNearZero_SignedZerosIncluded()
    {
        // The zero-input RNN stays exactly linear only if tanh returns x itself for x = ±0 and every tiny x.
        float[] x = [0f, -0f, 1e-38f, -1e-38f, float.Epsilon, -float.Epsilon, 1e-20f, 3e-8f, -3e-8f, 1e-6f, -1e-5f, 1e-4f, -2.4e-4f];
        float[] y = new float[x.Length];
        Tanh.Exact(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(y[i]) == BitConverter.SingleToInt32Bits(x[i]),
                        $"tanh({x[i]:R}) = {y[i]:R}, expected exactly {x[i]:R}");
        }
    }

    [Fact]
    public void SpecialValues_SaturateExactly_AndNaNPropagates()
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e30f, -1e30f, 10f, -10f, 0f, 100f, -100f, -89f];
        float[] tanh = new float[x.Length], sigmoid = new float[x.Length];
        Tanh.Exact(x, tanh);
        Sigmoid.Exact(x, sigmoid);
        Assert.True(float.IsNaN(tanh[0]), $"tanh(NaN) = {tanh[0]}");
        Assert.True(float.IsNaN(sigmoid[0]), $"sigmoid(NaN) = {sigmoid[0]}");
        Assert.Equal([1f, -1f, 1f, -1f, 1f, -1f, 0f, 1f, -1f, -1f], tanh[1..]);
        Assert.Equal([1f, 0f, 1f, 0f, 1f - 4.5399928e-05f, 4.5397868e-05f, 0.5f, 1f, 0f, 0f], sigmoid[1..], new UlpComparer(MaxUlps));
    }

    [Fact]
    public void EveryLength_GivesTheSameBitsAsTheVectorBody_InPlaceOrNot()
    {
        // The tail must go through the same arithmetic as the body: a value's result may not depend on where it sits.
        float[] source = Enumerable.Range(0, 19).Select(i => (i - 9) * 0.37f).ToArray();
        float[] reference = new float[24];
        for (int i = 0; i < source.Length; i++)
        {
            float[] one = Enumerable.Repeat(source[i], 8).ToArray();
            Tanh.Exact(one);
            reference[i] = one[0];
        }
        for (int length = 0; length <= source.Length; length++)
        {
            float[] inPlace = source[..length];
            float[] outOfPlace = new float[length];
            Tanh.Exact(inPlace);
            Tanh.Exact(source.AsSpan(0, length), outOfPlace);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(reference[i], inPlace[i]);
                Assert.Equal(reference[i], outOfPlace[i]);
            }
        }
    }

    [Fact]
    public void MismatchedLengths_Throw()
    {
        var error = Assert.Throws<ArgumentException>(() => Sigmoid.Exact(new float[5], new float[4]));
        Assert.Contains("y", error.Message);
    }

    /// <summary>Dense over [−20, 20] (both tanh branches and their joint at ±0.625), log-spaced magnitudes from
    /// 1e-38 to 1e4 of both signs, and the neighbours of the branch points.</summary>
    private static float[] Sweep()
    {
        var values = new List<float>();
        for (int i = -200_000; i <= 200_000; i++) values.Add(i * 1e-4f);
        for (double e = -38; e <= 4; e += 0.001)
        {
            values.Add((float)Math.Pow(10, e));
            values.Add(-(float)Math.Pow(10, e));
        }
        foreach (float edge in new[] { 0.625f, 44.36f, 87.33f, 88.7f, 2.44e-4f })
        {
            for (float v = edge, k = 0; k < 64; k++, v = MathF.BitIncrement(v)) values.Add(v);
            for (float v = edge, k = 0; k < 64; k++, v = MathF.BitDecrement(v)) values.Add(-v);
        }
        return [.. values];
    }

    private static void AssertUlps(string name, float[] x, float[] y, Func<double, double> exact)
    {
        long worst = 0;
        int at = 0;
        for (int i = 0; i < x.Length; i++)
        {
            long ulps = UlpComparer.Distance(y[i], (float)exact(x[i]));
            if (ulps > worst)
            {
                worst = ulps;
                at = i;
            }
        }
        Assert.True(worst <= MaxUlps,
                    $"{name}({x[at]:R}) = {y[at]:R} but double says {exact(x[at]):R}: {worst} ulps apart (allowed {MaxUlps}).");
    }

    private sealed class UlpComparer(long maxUlps) : IEqualityComparer<float>
    {
        /// <summary>Floats between a and b on the number line (±0 are 0 apart); NaN is infinitely far.</summary>
        public static long Distance(float a, float b)
        {
            if (float.IsNaN(a) || float.IsNaN(b)) return long.MaxValue;
            return Math.Abs(Ordered(a) - Ordered(b));
        }

        public bool Equals(float a, float b) => Distance(a, b) <= maxUlps;

        public int GetHashCode(float value) => 0;

        private static long Ordered(float value)
        {
            int bits = BitConverter.SingleToInt32Bits(value);
            return bits < 0 ? -(long)(bits & int.MaxValue) : bits;
        }
    }
}
