using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Tests.Blas;

/// <summary>Every provider against the double-precision <see cref="Oracle"/>, and MKL against managed.</summary>
public sealed class BlasParityTests
{
    private static readonly int[] Sizes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 33, 64, 65];

    // The 11 GEMMs of a DQN update at batch 128, net 4→120→84→2 (see GemmBenchmarks), plus k-blocking (> 256).
    public static readonly (Trans A, Trans B, int M, int N, int K)[] DqnShapes =
    [
        (Trans.No, Trans.Yes, 128, 120, 4), (Trans.No, Trans.Yes, 128, 84, 120), (Trans.No, Trans.Yes, 128, 2, 84),
        (Trans.Yes, Trans.No, 2, 84, 128), (Trans.Yes, Trans.No, 84, 120, 128), (Trans.Yes, Trans.No, 120, 4, 128),
        (Trans.No, Trans.No, 128, 84, 2), (Trans.No, Trans.No, 128, 120, 84),
        (Trans.No, Trans.No, 7, 33, 300), (Trans.Yes, Trans.Yes, 17, 40, 530),
    ];

    public static TheoryData<string, Trans, Trans> ProvidersAndTransposes()
    {
        var data = new TheoryData<string, Trans, Trans>();
        foreach (string name in TestProviders.Names())
        {
            foreach (Trans ta in new[] { Trans.No, Trans.Yes })
            {
                foreach (Trans tb in new[] { Trans.No, Trans.Yes })
                {
                    data.Add(name, ta, tb);
                }
            }
        }
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(ProvidersAndTransposes))]
    public void Gemm_MatchesOracle_AllSmallShapes(string provider, Trans transA, Trans transB)
    {
        IBlas blas = TestProviders.Get(provider);
        var random = new Random(1234);
        int cases = 0;
        foreach (int m in Sizes)
        {
            foreach (int n in Sizes)
            {
                foreach (int k in Sizes)
                {
                    if ((m * 7 + n * 3 + k) % 3 != 0 && m > 9 && n > 9 && k > 9)
                    {
                        continue; // keep two thirds of the large cube out: runtime, not coverage
                    }
                    float alpha = (cases % 3) switch { 0 => 1f, 1 => -0.75f, _ => 2.5f };
                    float beta = (cases % 4) switch { 0 => 0f, 1 => 1f, 2 => -0.5f, _ => 0.3f };
                    CheckGemm(blas, random, transA, transB, m, n, k, alpha, beta);
                    cases++;
                }
            }
        }
        Assert.True(cases > 2000, $"only {cases} shapes ran");
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void Gemm_MatchesOracle_DqnShapesAndLongK(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        var random = new Random(99);
        foreach (var (ta, tb, m, n, k) in DqnShapes)
        {
            CheckGemm(blas, random, ta, tb, m, n, k, 1f, 0f);
            CheckGemm(blas, random, ta, tb, m, n, k, -0.5f, 1f);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(ProvidersAndTransposes))]
    public void Gemm_RandomShapes(string provider, Trans transA, Trans transB)
    {
        IBlas blas = TestProviders.Get(provider);
        var random = new Random(7 + (int)transA * 3 + (int)transB);
        for (int i = 0; i < 200; i++)
        {
            CheckGemm(blas, random, transA, transB, random.Next(0, 140), random.Next(0, 140), random.Next(0, 140),
                      (float)(random.NextDouble() * 4 - 2), random.Next(2) == 0 ? 0f : (float)(random.NextDouble() * 2 - 1));
        }
    }

    [SkippableFact]
    public void Gemm_MklAgreesWithManaged()
    {
        MklRequirement.SkipUnlessAvailable();
        IBlas mkl = MklBlas.Create();
        IBlas managed = new ManagedBlas();
        var random = new Random(5);
        for (int i = 0; i < 300; i++)
        {
            Trans ta = random.Next(2) == 0 ? Trans.No : Trans.Yes, tb = random.Next(2) == 0 ? Trans.No : Trans.Yes;
            int m = random.Next(1, 70), n = random.Next(1, 70), k = random.Next(1, 70);
            float[] a = Oracle.Random(random, m * k), b = Oracle.Random(random, k * n), c = Oracle.Random(random, m * n);
            float[] c1 = (float[])c.Clone(), c2 = (float[])c.Clone();
            mkl.Gemm(ta, tb, m, n, k, 1.5f, a, b, 0.5f, c1);
            managed.Gemm(ta, tb, m, n, k, 1.5f, a, b, 0.5f, c2);
            var (_, magnitude) = Oracle.Gemm(ta, tb, m, n, k, 1.5f, a, b, 0.5f, c);
            double[] reference = Array.ConvertAll(c2, v => (double)v);
            Oracle.AssertClose(c1, reference, magnitude, 2 * k, $"mkl vs managed {ta}/{tb} {m}x{n}x{k}");
        }
    }

    [Theory]
    [InlineData(37, 84)]
    [InlineData(128, 84)]
    [InlineData(5, 7)]
    public void Gemm_QHeadOfTwoActions_SumsInTheOrderOfWiderHeads(int m, int k)
    {
        // y = x·wᵀ with 2 outputs has its own kernel; each output must still be summed as with 3 or 4 outputs,
        // so the Q-values of a 2-action network do not depend on which kernel ran (bit for bit).
        var random = new Random(m * 1000 + k);
        float[] x = Oracle.Random(random, m * k), w = Oracle.Random(random, 3 * k), bias = Oracle.Random(random, 3);
        float[] two = new float[m * 2], three = new float[m * 3];
        var blas = new ManagedBlas();
        blas.GemmBias(Trans.No, Trans.Yes, m, 2, k, x, w, bias, two);
        blas.GemmBias(Trans.No, Trans.Yes, m, 3, k, x, w, bias, three);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(two[i * 2 + j]) == BitConverter.SingleToInt32Bits(three[i * 3 + j]),
                    $"row {i}, output {j}: {two[i * 2 + j]:R} with 2 outputs, {three[i * 3 + j]:R} with 3");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void Gemm_BetaZeroOverwritesNaN_AndLeavesTheRestOfCAlone(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        foreach (int k in new[] { 0, 3 })
        {
            var c = new float[2 * 3 + 2];
            Array.Fill(c, float.NaN);
            c[^2] = 42f;
            c[^1] = 43f;
            blas.Gemm(Trans.No, Trans.No, 2, 3, k, 1f, new float[2 * k], new float[k * 3], 0f, c);
            Assert.All(c[..6], v => Assert.Equal(0f, v));
            Assert.Equal(42f, c[^2]);
            Assert.Equal(43f, c[^1]);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void Gemm_KZero_ScalesC(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        float[] c = [1f, 2f, 3f, 4f];
        blas.Gemm(Trans.Yes, Trans.No, 2, 2, 0, 1f, [], [], 0.5f, c);
        Assert.Equal([0.5f, 1f, 1.5f, 2f], c);
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void Gemv_MatchesOracle_BothWays(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        var random = new Random(11);
        int[] sizes = [0, 1, 2, 3, 7, 8, 9, 31, 32, 33, 65, 130];
        foreach (Trans trans in new[] { Trans.No, Trans.Yes })
        {
            foreach (int m in sizes)
            {
                foreach (int n in sizes)
                {
                    float alpha = m % 2 == 0 ? 1f : -1.25f;
                    float beta = n % 3 == 0 ? 0f : 0.75f;
                    float[] a = Oracle.Random(random, m * n);
                    float[] x = Oracle.Random(random, trans == Trans.No ? n : m);
                    float[] y = Oracle.Random(random, trans == Trans.No ? m : n);
                    var (value, magnitude) = Oracle.Gemv(trans, m, n, alpha, a, x, beta, y);
                    blas.Gemv(trans, m, n, alpha, a, x, beta, y);
                    Oracle.AssertClose(y, value, magnitude, Math.Max(m, n), $"{provider} gemv {trans} {m}x{n}");
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void AxpyAndDot_MatchOracle(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        var random = new Random(3);
        for (int length = 0; length <= 70; length++)
        {
            float[] x = Oracle.Random(random, length), y = Oracle.Random(random, length + 2);
            double dot = 0, abs = 0;
            for (int i = 0; i < length; i++)
            {
                dot += (double)x[i] * y[i];
                abs += Math.Abs((double)x[i] * y[i]);
            }
            Oracle.AssertClose([blas.Dot(x, y)], [dot], [abs], length, $"{provider} dot {length}");

            var expected = new double[length + 2];
            var magnitude = new double[length + 2];
            for (int i = 0; i < length + 2; i++)
            {
                double add = i < length ? -0.5 * x[i] : 0;
                expected[i] = y[i] + add;
                magnitude[i] = Math.Abs(y[i]) + Math.Abs(add);
            }
            blas.Axpy(-0.5f, x, y);
            Oracle.AssertClose(y, expected, magnitude, 2, $"{provider} axpy {length}"); // tail past x untouched
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void Gemm_IsBitIdentical_RepeatedAndAtAnotherAlignment(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        var random = new Random(21);
        foreach (var (ta, tb, m, n, k) in DqnShapes)
        {
            float[] a = Oracle.Random(random, m * k + 3), b = Oracle.Random(random, k * n + 3);
            var first = new float[m * n];
            var second = new float[m * n];
            var shifted = new float[m * n + 3];
            blas.Gemm(ta, tb, m, n, k, 1f, a.AsSpan(0, m * k), b.AsSpan(0, k * n), 0f, first);
            blas.Gemm(ta, tb, m, n, k, 1f, a.AsSpan(0, m * k), b.AsSpan(0, k * n), 0f, second);
            Assert.Equal(first, second);

            // The same values one and three floats further on: results must not depend on addresses.
            float[] a2 = new float[m * k + 1], b2 = new float[k * n + 3];
            a.AsSpan(0, m * k).CopyTo(a2.AsSpan(1));
            b.AsSpan(0, k * n).CopyTo(b2.AsSpan(3));
            blas.Gemm(ta, tb, m, n, k, 1f, a2.AsSpan(1), b2.AsSpan(3), 0f, shifted.AsSpan(3));
            Assert.Equal(first, shifted[3..]);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(ProvidersAndTransposes))]
    public void GemmBias_MatchesOracle_AndFillThenGemm_BitForBit(string provider, Trans transA, Trans transB)
    {
        IBlas blas = TestProviders.Get(provider);
        var random = new Random(41 + (int)transA * 5 + (int)transB);
        var shapes = new List<(int M, int N, int K)>();
        foreach (var (ta, tb, m, n, k) in DqnShapes) shapes.Add((m, n, k));
        for (int i = 0; i < 150; i++) shapes.Add((random.Next(0, 70), random.Next(0, 70), random.Next(0, 70)));
        shapes.AddRange([(1, 120, 4), (1, 84, 120), (1, 2, 84), (128, 4, 0), (7, 33, 300)]);
        foreach (var (m, n, k) in shapes)
        {
            float[] a = Oracle.Random(random, m * k), b = Oracle.Random(random, k * n), bias = Oracle.Random(random, n + 1);
            var rows = new float[m * n + 1];
            for (int i = 0; i < m; i++) bias.AsSpan(0, n).CopyTo(rows.AsSpan(i * n));
            rows[^1] = 42f;
            var (value, magnitude) = Oracle.Gemm(transA, transB, m, n, k, 1f, a, b, 1f, rows);
            float[] fused = Oracle.Random(random, m * n + 1); // garbage: GemmBias must not read c
            fused[^1] = 42f;
            blas.GemmBias(transA, transB, m, n, k, a, b, bias, fused);
            string what = $"{provider} bias {transA}/{transB} {m}x{n}x{k}";
            Oracle.AssertClose(fused, value, magnitude, k + 1, what);
            Assert.Equal(42f, fused[^1]);
            blas.Gemm(transA, transB, m, n, k, 1f, a, b, 1f, rows);
            Assert.True(fused.AsSpan().SequenceEqual(rows), what + ": differs from filling the rows and calling Gemm");
        }
    }

    private static void CheckGemm(IBlas blas, Random random, Trans ta, Trans tb, int m, int n, int k, float alpha, float beta)
    {
        float[] a = Oracle.Random(random, m * k), b = Oracle.Random(random, k * n), c = Oracle.Random(random, m * n + 1);
        var (value, magnitude) = Oracle.Gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
        float sentinel = c[^1];
        blas.Gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
        Oracle.AssertClose(c, value, magnitude, k, $"{TestProviders.Label(blas)} {ta}/{tb} {m}x{n}x{k} alpha {alpha} beta {beta}");
        Assert.Equal(sentinel, c[^1]);
    }
}
