using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DqnStudy.Nn.Blas;

/// <summary>The blocked path: 16-column panels of op(B), each swept by 6-row register tiles; packing, edges and stores.</summary>
internal static unsafe partial class ManagedGemm
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C over 16-column panels of op(B), each swept by every 6-row tile.</summary>
    private static void Panels(int m, int n, int k, float alpha,
                               float* a, nint rsA, nint csA, float* b, nint rsB, nint csB,
                               float beta, float* cIn, nint rsIn, nint csIn, float* c, nint rsC, nint csC)
    {
        float* packed = stackalloc float[Kc * Nr];
        for (int p0 = 0; p0 < k; p0 += Kc)
        {
            int kc = Math.Min(Kc, k - p0);
            // Later k-blocks accumulate onto what the first wrote.
            float betaBlock = p0 == 0 ? beta : 1f;
            float* input = p0 == 0 ? cIn : c;
            nint rsBlock = p0 == 0 ? rsIn : rsC, csBlock = p0 == 0 ? csIn : csC;
            for (int j0 = 0; j0 < n; j0 += Nr)
            {
                int nr = Math.Min(Nr, n - j0);
                int width = nr <= 8 ? 8 : Nr; // a ragged last panel of ≤ 8 columns gets the 6×8 tile
                float* panel;
                nint ldb;
                float* source = b + p0 * rsB + j0 * csB;
                if (csB == 1 && nr == Nr)
                {
                    panel = source; // 16 contiguous columns per row already: read in place
                    ldb = rsB;
                }
                else
                {
                    PackPanel(source, rsB, csB, kc, nr, width, packed);
                    panel = packed;
                    ldb = width;
                }
                for (int i0 = 0; i0 < m; i0 += Mr)
                {
                    int mr = Math.Min(Mr, m - i0);
                    float* aTile = a + i0 * rsA + p0 * csA;
                    float* cTile = c + i0 * rsC + j0 * csC;
                    float* inTile = input + i0 * rsBlock + j0 * csBlock;
                    if (width == Nr)
                    {
                        Tile16(aTile, rsA, csA, mr, kc, panel, ldb, alpha, betaBlock, inTile, rsBlock, csBlock, cTile, rsC, csC, nr);
                    }
                    else
                    {
                        Tile8(aTile, rsA, csA, mr, kc, panel, ldb, alpha, betaBlock, inTile, rsBlock, csBlock, cTile, rsC, csC, nr);
                    }
                }
            }
        }
    }

    /// <summary>dst(kc, width) = op(B)(p, j) for j &lt; nr, zero beyond. A transposed B (cs ≠ 1, rs = 1) goes through
    /// 8×8 register transposes: its columns are contiguous rows in memory.</summary>
    private static void PackPanel(float* src, nint rs, nint cs, int kc, int nr, int width, float* dst)
    {
        if (cs == 1)
        {
            for (int p = 0; p < kc; p++)
            {
                float* row = dst + p * width;
                float* from = src + p * rs;
                int j = 0;
                for (; j < nr; j++) row[j] = from[j];
                for (; j < width; j++) row[j] = 0f;
            }
            return;
        }
        int j0 = 0;
        if (rs == 1 && Avx.IsSupported)
        {
            for (; j0 <= nr - 8; j0 += 8)
            {
                int p = 0;
                for (; p <= kc - 8; p += 8)
                {
                    Transpose8x8(src + j0 * cs + p, cs, dst + p * width + j0, width);
                }
                for (; p < kc; p++)
                {
                    for (int j = j0; j < j0 + 8; j++) dst[p * width + j] = src[j * cs + p];
                }
            }
        }
        for (int j = j0; j < nr; j++)
        {
            float* from = src + j * cs;
            for (int p = 0; p < kc; p++) dst[p * width + j] = from[p * rs];
        }
        if (nr < width)
        {
            for (int p = 0; p < kc; p++)
            {
                for (int j = nr; j < width; j++) dst[p * width + j] = 0f;
            }
        }
    }

    /// <summary>dst(8 rows of ldd) = src(8 rows of lds)ᵀ: the classic unpack / shuffle / lane-swap network.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint lds, float* dst, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lds);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * lds), r3 = Avx.LoadVector256(src + 3 * lds);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * lds), r5 = Avx.LoadVector256(src + 5 * lds);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * lds), r7 = Avx.LoadVector256(src + 7 * lds);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>C(mr, nr) = alpha·A(mr, kc)·B(kc, 16) + beta·C on one 6×16 tile. Rows of A past mr repeat the last
    /// valid row (in range; their sums are dropped), so partial tiles run the same loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile16(float* a, nint rsA, nint csA, int mr, int kc, float* b, nint ldb, float alpha, float beta,
                               float* cIn, nint rsIn, nint csIn, float* c, nint rsC, nint csC, int nr)
    {
        float* a0 = a, a1 = a + Math.Min(1, mr - 1) * rsA, a2 = a + Math.Min(2, mr - 1) * rsA;
        float* a3 = a + Math.Min(3, mr - 1) * rsA, a4 = a + Math.Min(4, mr - 1) * rsA, a5 = a + Math.Min(5, mr - 1) * rsA;
        Vector256<float> c00 = Vector256<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        Vector256<float> c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        nint at = 0;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a0[at]);
            c00 = Vector256.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(x, b1, c01);
            x = Vector256.Create(a1[at]);
            c10 = Vector256.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(x, b1, c11);
            x = Vector256.Create(a2[at]);
            c20 = Vector256.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(x, b1, c21);
            x = Vector256.Create(a3[at]);
            c30 = Vector256.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(x, b1, c31);
            x = Vector256.Create(a4[at]);
            c40 = Vector256.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(x, b1, c41);
            x = Vector256.Create(a5[at]);
            c50 = Vector256.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(x, b1, c51);
            at += csA;
            b += ldb;
        }
        if (mr == Mr && nr == Nr && csC == 1 && csIn == 1)
        {
            Store(c, cIn, c00, c01, alpha, beta);
            Store(c + rsC, cIn + rsIn, c10, c11, alpha, beta);
            Store(c + 2 * rsC, cIn + 2 * rsIn, c20, c21, alpha, beta);
            Store(c + 3 * rsC, cIn + 3 * rsIn, c30, c31, alpha, beta);
            Store(c + 4 * rsC, cIn + 4 * rsIn, c40, c41, alpha, beta);
            Store(c + 5 * rsC, cIn + 5 * rsIn, c50, c51, alpha, beta);
            return;
        }
        float* tile = stackalloc float[Mr * Nr];
        c00.Store(tile); c01.Store(tile + 8);
        c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40);
        c30.Store(tile + 48); c31.Store(tile + 56);
        c40.Store(tile + 64); c41.Store(tile + 72);
        c50.Store(tile + 80); c51.Store(tile + 88);
        StoreEdge(tile, Nr, mr, nr, alpha, beta, cIn, rsIn, csIn, c, rsC, csC);
    }

    /// <summary>The 6×8 tile for a ragged last panel of ≤ 8 columns (B packed and zero-padded to 8). Six accumulators
    /// alone would wait on FMA latency, so even and odd k-steps go to two sets (12 chains) added at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8(float* a, nint rsA, nint csA, int mr, int kc, float* b, nint ldb, float alpha, float beta,
                              float* cIn, nint rsIn, nint csIn, float* c, nint rsC, nint csC, int nr)
    {
        float* a0 = a, a1 = a + Math.Min(1, mr - 1) * rsA, a2 = a + Math.Min(2, mr - 1) * rsA;
        float* a3 = a + Math.Min(3, mr - 1) * rsA, a4 = a + Math.Min(4, mr - 1) * rsA, a5 = a + Math.Min(5, mr - 1) * rsA;
        Vector256<float> c0 = Vector256<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        Vector256<float> d0 = c0, d1 = c0, d2 = c0, d3 = c0, d4 = c0, d5 = c0;
        nint at = 0;
        int p = 0;
        for (; p <= kc - 2; p += 2)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + ldb);
            c0 = Vector256.MultiplyAddEstimate(Vector256.Create(a0[at]), b0, c0);
            c1 = Vector256.MultiplyAddEstimate(Vector256.Create(a1[at]), b0, c1);
            c2 = Vector256.MultiplyAddEstimate(Vector256.Create(a2[at]), b0, c2);
            c3 = Vector256.MultiplyAddEstimate(Vector256.Create(a3[at]), b0, c3);
            c4 = Vector256.MultiplyAddEstimate(Vector256.Create(a4[at]), b0, c4);
            c5 = Vector256.MultiplyAddEstimate(Vector256.Create(a5[at]), b0, c5);
            at += csA;
            d0 = Vector256.MultiplyAddEstimate(Vector256.Create(a0[at]), b1, d0);
            d1 = Vector256.MultiplyAddEstimate(Vector256.Create(a1[at]), b1, d1);
            d2 = Vector256.MultiplyAddEstimate(Vector256.Create(a2[at]), b1, d2);
            d3 = Vector256.MultiplyAddEstimate(Vector256.Create(a3[at]), b1, d3);
            d4 = Vector256.MultiplyAddEstimate(Vector256.Create(a4[at]), b1, d4);
            d5 = Vector256.MultiplyAddEstimate(Vector256.Create(a5[at]), b1, d5);
            at += csA;
            b += 2 * ldb;
        }
        if (p < kc)
        {
            Vector256<float> b0 = Vector256.Load(b);
            c0 = Vector256.MultiplyAddEstimate(Vector256.Create(a0[at]), b0, c0);
            c1 = Vector256.MultiplyAddEstimate(Vector256.Create(a1[at]), b0, c1);
            c2 = Vector256.MultiplyAddEstimate(Vector256.Create(a2[at]), b0, c2);
            c3 = Vector256.MultiplyAddEstimate(Vector256.Create(a3[at]), b0, c3);
            c4 = Vector256.MultiplyAddEstimate(Vector256.Create(a4[at]), b0, c4);
            c5 = Vector256.MultiplyAddEstimate(Vector256.Create(a5[at]), b0, c5);
        }
        float* tile = stackalloc float[Mr * 8];
        (c0 + d0).Store(tile); (c1 + d1).Store(tile + 8); (c2 + d2).Store(tile + 16);
        (c3 + d3).Store(tile + 24); (c4 + d4).Store(tile + 32); (c5 + d5).Store(tile + 40);
        StoreEdge(tile, 8, mr, nr, alpha, beta, cIn, rsIn, csIn, c, rsC, csC);
    }

    /// <summary>C(r, j) = alpha·tile(r, j) + beta·C(r, j) for the mr × nr corner of a tile, with the same operations as
    /// <see cref="Store"/> so that an edge element rounds like an interior one. Row-major C uses masked vector
    /// stores; a transposed problem's C (csC ≠ 1) is scattered element by element.</summary>
    private static void StoreEdge(float* tile, int ldt, int mr, int nr, float alpha, float beta,
                                  float* cIn, nint rsIn, nint csIn, float* c, nint rsC, nint csC)
    {
        if (csC == 1 && csIn == 1 && Avx.IsSupported)
        {
            Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
            Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            for (int j0 = 0; j0 < nr; j0 += 8)
            {
                Vector256<float> mask = Vector256.GreaterThan(Vector256.Create(nr - j0), lanes).AsSingle();
                bool full = nr - j0 >= 8;
                for (int r = 0; r < mr; r++)
                {
                    float* target = c + r * rsC + j0;
                    float* source = cIn + r * rsIn + j0;
                    Vector256<float> value = va * Vector256.Load(tile + r * ldt + j0);
                    if (beta != 0f) value += vb * (full ? Vector256.Load(source) : Avx.MaskLoad(source, mask));
                    if (full) value.Store(target);
                    else Avx.MaskStore(target, mask, value);
                }
            }
            return;
        }
        for (int r = 0; r < mr; r++)
        {
            for (int j = 0; j < nr; j++)
            {
                float value = alpha * tile[r * ldt + j];
                c[r * rsC + j * csC] = beta == 0f ? value : value + beta * cIn[r * rsIn + j * csIn];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, float* cIn, Vector256<float> lo, Vector256<float> hi, float alpha, float beta)
    {
        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0f)
        {
            (va * lo).Store(c);
            (va * hi).Store(c + 8);
            return;
        }
        Vector256<float> vb = Vector256.Create(beta);
        (va * lo + vb * Vector256.Load(cIn)).Store(c);
        (va * hi + vb * Vector256.Load(cIn + 8)).Store(c + 8);
    }
}
