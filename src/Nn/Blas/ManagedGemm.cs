using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DqnStudy.Nn.Blas;

/// <summary>
/// Single-threaded GEMM in the BLIS/GotoBLAS shape, cut down to what fits DQN's small matrices:
/// a 6×16 register tile (12 Vector256 accumulators), B in 16-column panels of at most 256 rows (packed on the
/// stack only when B's columns are not already contiguous, or to zero-pad the last panel), A read in place.
/// The four transpose cases become strides, and a problem whose n is awkward for 16-wide panels
/// (n = 2, 4, 84…) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ when the cost model says that wastes less.
/// </summary>
[SkipLocalsInit]
internal static unsafe class ManagedGemm
{
    public const int Mr = 6;
    public const int Nr = 16;
    private const int Kc = 256;

    /// <summary>Arguments are already validated, m, n, k ≥ 1 and alpha ≠ 0.</summary>
    public static void Run(Trans transA, Trans transB, int m, int n, int k, float alpha,
                           ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        // op(A)(i,p) = a[i·rsA + p·csA]   op(B)(p,j) = b[p·rsB + j·csB]   C(i,j) = c[i·n + j]
        nint rsA = transA == Trans.No ? k : 1, csA = transA == Trans.No ? 1 : m;
        nint rsB = transB == Trans.No ? n : 1, csB = transB == Trans.No ? 1 : k;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (Cost(n, m, k, rsA == 1) < Cost(m, n, k, csB == 1))
            {
                // Cᵀ(n,m) = op(B)ᵀ·op(A)ᵀ: A' is op(B) read transposed, B' is op(A) read transposed.
                Blocked(n, m, k, alpha, pb, csB, rsB, pa, csA, rsA, beta, pc, 1, n);
            }
            else
            {
                Blocked(m, n, k, alpha, pa, rsA, csA, pb, rsB, csB, beta, pc, n, 1);
            }
        }
    }

    /// <summary>Rough cycles: padded FMAs (two 8-wide per cycle) plus one per packed element.</summary>
    private static long Cost(int m, int n, int k, bool bColumnsContiguous)
    {
        long paddedM = (m + Mr - 1) / Mr * Mr;
        long paddedN = (n + Nr - 1) / Nr * Nr;
        long packed = bColumnsContiguous ? (n % Nr == 0 ? 0 : (long)k * Nr) : (long)k * paddedN;
        return paddedM * paddedN * k / 16 + packed;
    }

    private static void Blocked(int m, int n, int k, float alpha,
                                float* a, nint rsA, nint csA, float* b, nint rsB, nint csB,
                                float beta, float* c, nint rsC, nint csC)
    {
        float* panel = stackalloc float[Kc * Nr]; // b panel: (kc, 16) row-major
        float* tile = stackalloc float[Mr * Nr];  // edge tiles go through here
        for (int p0 = 0; p0 < k; p0 += Kc)
        {
            int kc = Math.Min(Kc, k - p0);
            float betaBlock = p0 == 0 ? beta : 1f; // later k-blocks accumulate onto the first
            for (int j0 = 0; j0 < n; j0 += Nr)
            {
                int nr = Math.Min(Nr, n - j0);
                float* bSrc = b + p0 * rsB + j0 * csB;
                float* bPanel;
                nint ldPanel;
                if (csB == 1 && nr == Nr)
                {
                    bPanel = bSrc;
                    ldPanel = rsB;
                }
                else
                {
                    Pack(bSrc, rsB, csB, kc, nr, panel);
                    bPanel = panel;
                    ldPanel = Nr;
                }
                for (int i0 = 0; i0 < m; i0 += Mr)
                {
                    int mr = Math.Min(Mr, m - i0);
                    Kernel(a + i0 * rsA + p0 * csA, rsA, csA, mr, bPanel, ldPanel, kc, alpha, betaBlock,
                           c + i0 * rsC + j0 * csC, rsC, csC, nr, tile);
                }
            }
        }
    }

    /// <summary>dst(kc,16) = src(p, j) for j &lt; nr, zero beyond.</summary>
    private static void Pack(float* src, nint rs, nint cs, int kc, int nr, float* dst)
    {
        if (cs == 1)
        {
            for (int p = 0; p < kc; p++)
            {
                float* row = dst + p * Nr;
                float* from = src + p * rs;
                int j = 0;
                for (; j < nr; j++) row[j] = from[j];
                for (; j < Nr; j++) row[j] = 0f;
            }
            return;
        }
        // Columns of B are rows in memory here: read each contiguously, write it down the panel.
        for (int j = 0; j < nr; j++)
        {
            float* from = src + j * cs;
            for (int p = 0; p < kc; p++) dst[p * Nr + j] = from[p * rs];
        }
        if (nr < Nr)
        {
            for (int p = 0; p < kc; p++)
            {
                for (int j = nr; j < Nr; j++) dst[p * Nr + j] = 0f;
            }
        }
    }

    /// <summary>C(mr,nr) = alpha·A(mr,kc)·B(kc,16) + beta·C on one 6×16 tile. Rows of A past mr repeat the last
    /// valid row (in range, results discarded) so the loop body never branches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(float* a, nint rsA, nint csA, int mr, float* b, nint ldb, int kc,
                               float alpha, float beta, float* c, nint rsC, nint csC, int nr, float* tile)
    {
        float* a0 = a;
        float* a1 = a + Math.Min(1, mr - 1) * rsA;
        float* a2 = a + Math.Min(2, mr - 1) * rsA;
        float* a3 = a + Math.Min(3, mr - 1) * rsA;
        float* a4 = a + Math.Min(4, mr - 1) * rsA;
        float* a5 = a + Math.Min(5, mr - 1) * rsA;
        Vector256<float> c00 = Vector256<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        Vector256<float> c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        nint offset = 0;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a0[offset]);
            c00 = Vector256.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(x, b1, c01);
            x = Vector256.Create(a1[offset]);
            c10 = Vector256.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(x, b1, c11);
            x = Vector256.Create(a2[offset]);
            c20 = Vector256.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(x, b1, c21);
            x = Vector256.Create(a3[offset]);
            c30 = Vector256.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(x, b1, c31);
            x = Vector256.Create(a4[offset]);
            c40 = Vector256.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector256.MultiplyAddEstimate(x, b1, c41);
            x = Vector256.Create(a5[offset]);
            c50 = Vector256.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector256.MultiplyAddEstimate(x, b1, c51);
            offset += csA;
            b += ldb;
        }
        if (mr == Mr && nr == Nr && csC == 1)
        {
            Store(c, c00, c01, alpha, beta);
            Store(c + rsC, c10, c11, alpha, beta);
            Store(c + 2 * rsC, c20, c21, alpha, beta);
            Store(c + 3 * rsC, c30, c31, alpha, beta);
            Store(c + 4 * rsC, c40, c41, alpha, beta);
            Store(c + 5 * rsC, c50, c51, alpha, beta);
            return;
        }
        c00.Store(tile); c01.Store(tile + 8);
        c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40);
        c30.Store(tile + 48); c31.Store(tile + 56);
        c40.Store(tile + 64); c41.Store(tile + 72);
        c50.Store(tile + 80); c51.Store(tile + 88);
        for (int r = 0; r < mr; r++)
        {
            for (int j = 0; j < nr; j++)
            {
                float* target = c + r * rsC + j * csC;
                float value = alpha * tile[r * Nr + j];
                *target = beta == 0f ? value : value + beta * *target;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> lo, Vector256<float> hi, float alpha, float beta)
    {
        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0f)
        {
            (va * lo).Store(c);
            (va * hi).Store(c + 8);
            return;
        }
        Vector256<float> vb = Vector256.Create(beta);
        (va * lo + vb * Vector256.Load(c)).Store(c);
        (va * hi + vb * Vector256.Load(c + 8)).Store(c + 8);
    }
}
