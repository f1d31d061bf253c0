using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DqnStudy.Nn.Blas;

/// <summary>
/// The blocked path on CPUs with AVX-512: 8×32 register tiles (16 Vector512 accumulators, 2 B vectors and a broadcast:
/// 19 of the 32 zmm registers), 16 FMAs per k-step against 2 B loads and 8 broadcasts. A core with full-width 512-bit
/// FMA units (AMD Zen 5, Intel server cores) does twice the work per instruction of the 6×16 AVX2 tile. The shapes of a
/// DQN update fit it well: batch 128 is 16 tiles, 120 and 84 outputs are 4 and 3 panels. A ragged last panel of ≤ 16
/// columns gets an 8×16 tile, and ≤ 4 rows a 4×32 one (8 accumulators each: just enough to cover the FMA latency). Same rules as the AVX2 path: A is
/// read in place, B in place when 32 columns are contiguous and packed otherwise, each sum in k order, nothing on the heap.
/// </summary>
internal static unsafe partial class ManagedGemm
{
    public const int WideMr = 8;
    public const int WideNr = 32;
    private const int WideKc = 128;   // a (128, 32) panel is 16 KB: a third of Zen 5's 48 KB L1d

    /// <summary>Whether this CPU and runtime run Vector512 in hardware; otherwise the AVX2 tiles serve.</summary>
    public static bool WideAvailable => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>Rough cycles of the 8×32 path: 8 per k-step of a tile against a 32-column panel (4 against a 16-wide
    /// edge panel), ~1 per element packed, and C's stores (about 2 cycles each when a transposed problem scatters them).</summary>
    private static long WideCost(int m, int n, int k, bool bColumnsContiguous, bool transposedStore)
    {
        double rowTiles = m / WideMr + (m % WideMr == 0 ? 0 : m % WideMr <= 4 ? 0.5 : 1);   // ≤ 4 left: a 4×32 tile
        int rest = n % WideNr;
        long perStep = n / WideNr * 8L + (rest == 0 ? 0 : rest <= 16 ? 4 : 8);
        long packed = bColumnsContiguous ? (rest == 0 ? 0 : (long)k * WideNr) : (long)k * n;
        long stores = transposedStore ? 2L * m * n : (long)m * n / 16;
        return (long)(rowTiles * perStep * k) + packed + stores;
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C over 32-column panels of op(B), each swept by every 8-row tile.</summary>
    private static void WidePanels(int m, int n, int k, float alpha,
                                   float* a, nint rsA, nint csA, float* b, nint rsB, nint csB,
                                   float beta, float* cIn, nint rsIn, nint csIn, float* c, nint rsC, nint csC)
    {
        float* packed = stackalloc float[WideKc * WideNr];
        for (int p0 = 0; p0 < k; p0 += WideKc)
        {
            int kc = Math.Min(WideKc, k - p0);
            float betaBlock = p0 == 0 ? beta : 1f;
            float* input = p0 == 0 ? cIn : c;
            nint rsBlock = p0 == 0 ? rsIn : rsC, csBlock = p0 == 0 ? csIn : csC;
            for (int j0 = 0; j0 < n; j0 += WideNr)
            {
                int nr = Math.Min(WideNr, n - j0);
                int width = nr <= 16 ? 16 : WideNr;
                float* panel;
                nint ldb;
                float* source = b + p0 * rsB + j0 * csB;
                if (csB == 1 && nr == width)
                {
                    panel = source;
                    ldb = rsB;
                }
                else
                {
                    PackPanel(source, rsB, csB, kc, nr, width, packed);
                    panel = packed;
                    ldb = width;
                }
                for (int i0 = 0; i0 < m; i0 += WideMr)
                {
                    int mr = Math.Min(WideMr, m - i0);
                    float* aTile = a + i0 * rsA + p0 * csA;
                    float* cTile = c + i0 * rsC + j0 * csC;
                    float* inTile = input + i0 * rsBlock + j0 * csBlock;
                    if (width == WideNr && mr <= 4)
                    {
                        Tile4x32(aTile, rsA, csA, mr, kc, panel, ldb, alpha, betaBlock, inTile, rsBlock, csBlock, cTile, rsC, csC, nr);
                    }
                    else if (width == WideNr)
                    {
                        Tile8x32(aTile, rsA, csA, mr, kc, panel, ldb, alpha, betaBlock, inTile, rsBlock, csBlock, cTile, rsC, csC, nr);
                    }
                    else
                    {
                        Tile8x16(aTile, rsA, csA, mr, kc, panel, ldb, alpha, betaBlock, inTile, rsBlock, csBlock, cTile, rsC, csC, nr);
                    }
                }
            }
        }
    }

    /// <summary>C(mr, nr) = alpha·A(mr, kc)·B(kc, 32) + beta·C on one 8×32 tile; rows of A past mr repeat the last
    /// valid row (in range; their sums are dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x32(float* a, nint rsA, nint csA, int mr, int kc, float* b, nint ldb, float alpha, float beta,
                                 float* cIn, nint rsIn, nint csIn, float* c, nint rsC, nint csC, int nr)
    {
        float* a0 = a, a1 = a + Math.Min(1, mr - 1) * rsA, a2 = a + Math.Min(2, mr - 1) * rsA, a3 = a + Math.Min(3, mr - 1) * rsA;
        float* a4 = a + Math.Min(4, mr - 1) * rsA, a5 = a + Math.Min(5, mr - 1) * rsA;
        float* a6 = a + Math.Min(6, mr - 1) * rsA, a7 = a + Math.Min(7, mr - 1) * rsA;
        Vector512<float> c00 = Vector512<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        Vector512<float> c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        nint at = 0;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> x = Vector512.Create(a0[at]);
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            x = Vector512.Create(a1[at]);
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, b1, c11);
            x = Vector512.Create(a2[at]);
            c20 = Vector512.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(x, b1, c21);
            x = Vector512.Create(a3[at]);
            c30 = Vector512.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(x, b1, c31);
            x = Vector512.Create(a4[at]);
            c40 = Vector512.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(x, b1, c41);
            x = Vector512.Create(a5[at]);
            c50 = Vector512.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(x, b1, c51);
            x = Vector512.Create(a6[at]);
            c60 = Vector512.MultiplyAddEstimate(x, b0, c60);
            c61 = Vector512.MultiplyAddEstimate(x, b1, c61);
            x = Vector512.Create(a7[at]);
            c70 = Vector512.MultiplyAddEstimate(x, b0, c70);
            c71 = Vector512.MultiplyAddEstimate(x, b1, c71);
            at += csA;
            b += ldb;
        }
        if (mr == WideMr && nr == WideNr && csC == 1 && csIn == 1)
        {
            Store(c, cIn, c00, c01, alpha, beta);
            Store(c + rsC, cIn + rsIn, c10, c11, alpha, beta);
            Store(c + 2 * rsC, cIn + 2 * rsIn, c20, c21, alpha, beta);
            Store(c + 3 * rsC, cIn + 3 * rsIn, c30, c31, alpha, beta);
            Store(c + 4 * rsC, cIn + 4 * rsIn, c40, c41, alpha, beta);
            Store(c + 5 * rsC, cIn + 5 * rsIn, c50, c51, alpha, beta);
            Store(c + 6 * rsC, cIn + 6 * rsIn, c60, c61, alpha, beta);
            Store(c + 7 * rsC, cIn + 7 * rsIn, c70, c71, alpha, beta);
            return;
        }
        float* tile = stackalloc float[WideMr * WideNr];
        c00.Store(tile); c01.Store(tile + 16);
        c10.Store(tile + 32); c11.Store(tile + 48);
        c20.Store(tile + 64); c21.Store(tile + 80);
        c30.Store(tile + 96); c31.Store(tile + 112);
        c40.Store(tile + 128); c41.Store(tile + 144);
        c50.Store(tile + 160); c51.Store(tile + 176);
        c60.Store(tile + 192); c61.Store(tile + 208);
        c70.Store(tile + 224); c71.Store(tile + 240);
        StoreEdge(tile, WideNr, mr, nr, alpha, beta, cIn, rsIn, csIn, c, rsC, csC);
    }

    /// <summary>A 4×32 tile for ≤ 4 rows (a Q-head's dW has 2, 84 rows end in a 4-row tile): half the FMAs of an 8×32
    /// tile run on rows that would be dropped; 8 accumulators still cover the FMA latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x32(float* a, nint rsA, nint csA, int mr, int kc, float* b, nint ldb, float alpha, float beta,
                                 float* cIn, nint rsIn, nint csIn, float* c, nint rsC, nint csC, int nr)
    {
        float* a0 = a, a1 = a + Math.Min(1, mr - 1) * rsA, a2 = a + Math.Min(2, mr - 1) * rsA, a3 = a + Math.Min(3, mr - 1) * rsA;
        Vector512<float> c00 = Vector512<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        nint at = 0;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Vector512<float> x = Vector512.Create(a0[at]);
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            x = Vector512.Create(a1[at]);
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, b1, c11);
            x = Vector512.Create(a2[at]);
            c20 = Vector512.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(x, b1, c21);
            x = Vector512.Create(a3[at]);
            c30 = Vector512.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(x, b1, c31);
            at += csA;
            b += ldb;
        }
        float* tile = stackalloc float[4 * WideNr];
        c00.Store(tile); c01.Store(tile + 16);
        c10.Store(tile + 32); c11.Store(tile + 48);
        c20.Store(tile + 64); c21.Store(tile + 80);
        c30.Store(tile + 96); c31.Store(tile + 112);
        StoreEdge(tile, WideNr, mr, nr, alpha, beta, cIn, rsIn, csIn, c, rsC, csC);
    }

    /// <summary>The 8×16 tile for a ragged last panel of ≤ 16 columns (B packed and zero-padded to 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x16(float* a, nint rsA, nint csA, int mr, int kc, float* b, nint ldb, float alpha, float beta,
                                 float* cIn, nint rsIn, nint csIn, float* c, nint rsC, nint csC, int nr)
    {
        float* a0 = a, a1 = a + Math.Min(1, mr - 1) * rsA, a2 = a + Math.Min(2, mr - 1) * rsA, a3 = a + Math.Min(3, mr - 1) * rsA;
        float* a4 = a + Math.Min(4, mr - 1) * rsA, a5 = a + Math.Min(5, mr - 1) * rsA;
        float* a6 = a + Math.Min(6, mr - 1) * rsA, a7 = a + Math.Min(7, mr - 1) * rsA;
        Vector512<float> c0 = Vector512<float>.Zero, c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        nint at = 0;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            c0 = Vector512.MultiplyAddEstimate(Vector512.Create(a0[at]), b0, c0);
            c1 = Vector512.MultiplyAddEstimate(Vector512.Create(a1[at]), b0, c1);
            c2 = Vector512.MultiplyAddEstimate(Vector512.Create(a2[at]), b0, c2);
            c3 = Vector512.MultiplyAddEstimate(Vector512.Create(a3[at]), b0, c3);
            c4 = Vector512.MultiplyAddEstimate(Vector512.Create(a4[at]), b0, c4);
            c5 = Vector512.MultiplyAddEstimate(Vector512.Create(a5[at]), b0, c5);
            c6 = Vector512.MultiplyAddEstimate(Vector512.Create(a6[at]), b0, c6);
            c7 = Vector512.MultiplyAddEstimate(Vector512.Create(a7[at]), b0, c7);
            at += csA;
            b += ldb;
        }
        float* tile = stackalloc float[WideMr * 16];
        c0.Store(tile); c1.Store(tile + 16); c2.Store(tile + 32); c3.Store(tile + 48);
        c4.Store(tile + 64); c5.Store(tile + 80); c6.Store(tile + 96); c7.Store(tile + 112);
        StoreEdge(tile, 16, mr, nr, alpha, beta, cIn, rsIn, csIn, c, rsC, csC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, float* cIn, Vector512<float> lo, Vector512<float> hi, float alpha, float beta)
    {
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            (va * lo).Store(c);
            (va * hi).Store(c + 16);
            return;
        }
        Vector512<float> vb = Vector512.Create(beta);
        (va * lo + vb * Vector512.Load(cIn)).Store(c);
        (va * hi + vb * Vector512.Load(cIn + 16)).Store(c + 16);
    }
}
