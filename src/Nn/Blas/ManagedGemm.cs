using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DqnStudy.Nn.Blas;

/// <summary>
/// Single-threaded GEMM in the BLIS/GotoBLAS shape, cut down to what fits DQN's small matrices:
/// a 4×16 register tile (8 Vector256 accumulators: with 6×16 the JIT has too few ymm registers and spills one
/// accumulator through memory, which serialises the loop; 4 also divides 128, 120 and 84); B in 16-column panels of at most 128 rows, up to 128 columns
/// at a time (packed on the stack only when B's columns are not already contiguous, or to zero-pad the last panel);
/// A packed 4 rows at a time so the kernel walks one pointer. About 70 KB of stack, no heap.
/// The four transpose cases become strides, and a problem whose n is awkward for 16-wide panels
/// (n = 2, 4, 84…) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ when the cost model says that wastes less.
/// </summary>
[SkipLocalsInit]
internal static unsafe class ManagedGemm
{
    public const int Mr = 4;
    public const int Nr = 16;
    private const int Kc = 128;
    private const int Nc = 128;

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
            if (m == 1)
            {
                // One row (a greedy action's single-state forward): packing B for the 4×16 kernel would touch all
                // of B twice for 1/4 of a tile's work; a dot per output or a row sweep touches it once.
                SingleRow(transB, n, k, alpha, pa, pb, beta, pc);
                return;
            }
            if (transA == Trans.No && transB == Trans.Yes && n <= 4 && k >= 8)
            {
                // y = x·wᵀ into a handful of outputs (the Q-head): every C(i,j) is a dot of two contiguous rows.
                RowDots(m, n, k, alpha, pa, pb, beta, pc);
                return;
            }
            if (Cost(n, m, k, rsA == 1, transposedStore: true) < Cost(m, n, k, csB == 1, transposedStore: false))
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

    /// <summary>c(1,n) = alpha·a(1,k)·op(b) + beta·c. a is contiguous whatever transA says (a (1,k) row or a (k,1)
    /// column). transB = Yes: b is (n,k), each c[j] one contiguous dot; No: b is (k,n), c accumulates k scaled rows
    /// of b in order. The order depends only on the shape, so results stay deterministic.</summary>
    private static void SingleRow(Trans transB, int n, int k, float alpha, float* a, float* b, float beta, float* c)
    {
        var x = new ReadOnlySpan<float>(a, k);
        if (transB == Trans.Yes)
        {
            for (int j = 0; j < n; j++)
            {
                float value = alpha * ManagedBlas.DotCore(x, new ReadOnlySpan<float>(b + (nint)j * k, k));
                c[j] = beta == 0f ? value : value + beta * c[j];
            }
            return;
        }
        var y = new Span<float>(c, n);
        ManagedBlas.Scale(beta, y);
        for (int p = 0; p < k; p++)
        {
            float scale = alpha * a[p];
            float* row = b + (nint)p * n;
            int j = 0;
            for (; j <= n - 8; j += 8)
            {
                Vector256.Store(Vector256.MultiplyAddEstimate(Vector256.Load(row + j), Vector256.Create(scale), Vector256.Load(c + j)), c + j);
            }
            for (; j < n; j++)
            {
                c[j] = MathF.FusedMultiplyAdd(row[j], scale, c[j]);
            }
        }
    }

    /// <summary>C(m,n) = alpha·a(m,k)·b(n,k)ᵀ + beta·C for n ≤ 4: two rows of a at a time against every row of b,
    /// eight independent Vector256 sums (enough to hide FMA latency), then a fixed-order fold and scalar tail.
    /// Missing rows/columns repeat the last valid one (in range; results discarded).</summary>
    private static void RowDots(int m, int n, int k, float alpha, float* a, float* b, float beta, float* c)
    {
        float* b0 = b;
        float* b1 = b + Math.Min(1, n - 1) * k;
        float* b2 = b + Math.Min(2, n - 1) * k;
        float* b3 = b + Math.Min(3, n - 1) * k;
        float* sums = stackalloc float[8];
        for (int i = 0; i < m; i += 2)
        {
            float* x0 = a + i * k;
            float* x1 = a + Math.Min(i + 1, m - 1) * k;
            Vector256<float> s00 = Vector256<float>.Zero, s01 = s00, s02 = s00, s03 = s00;
            Vector256<float> s10 = s00, s11 = s00, s12 = s00, s13 = s00;
            int p = 0;
            for (; p <= k - 8; p += 8)
            {
                Vector256<float> w0 = Vector256.Load(b0 + p), w1 = Vector256.Load(b1 + p);
                Vector256<float> w2 = Vector256.Load(b2 + p), w3 = Vector256.Load(b3 + p);
                Vector256<float> v = Vector256.Load(x0 + p);
                s00 = Vector256.MultiplyAddEstimate(v, w0, s00);
                s01 = Vector256.MultiplyAddEstimate(v, w1, s01);
                s02 = Vector256.MultiplyAddEstimate(v, w2, s02);
                s03 = Vector256.MultiplyAddEstimate(v, w3, s03);
                v = Vector256.Load(x1 + p);
                s10 = Vector256.MultiplyAddEstimate(v, w0, s10);
                s11 = Vector256.MultiplyAddEstimate(v, w1, s11);
                s12 = Vector256.MultiplyAddEstimate(v, w2, s12);
                s13 = Vector256.MultiplyAddEstimate(v, w3, s13);
            }
            sums[0] = Vector256.Sum(s00); sums[1] = Vector256.Sum(s01); sums[2] = Vector256.Sum(s02); sums[3] = Vector256.Sum(s03);
            sums[4] = Vector256.Sum(s10); sums[5] = Vector256.Sum(s11); sums[6] = Vector256.Sum(s12); sums[7] = Vector256.Sum(s13);
            for (; p < k; p++)
            {
                float u0 = x0[p], u1 = x1[p];
                sums[0] = MathF.FusedMultiplyAdd(u0, b0[p], sums[0]);
                sums[1] = MathF.FusedMultiplyAdd(u0, b1[p], sums[1]);
                sums[2] = MathF.FusedMultiplyAdd(u0, b2[p], sums[2]);
                sums[3] = MathF.FusedMultiplyAdd(u0, b3[p], sums[3]);
                sums[4] = MathF.FusedMultiplyAdd(u1, b0[p], sums[4]);
                sums[5] = MathF.FusedMultiplyAdd(u1, b1[p], sums[5]);
                sums[6] = MathF.FusedMultiplyAdd(u1, b2[p], sums[6]);
                sums[7] = MathF.FusedMultiplyAdd(u1, b3[p], sums[7]);
            }
            int rows = Math.Min(2, m - i);
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < n; j++)
                {
                    float* target = c + (i + r) * n + j;
                    float value = alpha * sums[r * 4 + j];
                    *target = beta == 0f ? value : value + beta * *target;
                }
            }
        }
    }

    /// <summary>Rough cycles: padded FMAs (two 8-wide per cycle), one per packed element, and C's stores
    /// (eight per cycle in rows, about two cycles each when a transposed problem scatters them).</summary>
    private static long Cost(int m, int n, int k, bool bColumnsContiguous, bool transposedStore)
    {
        long paddedM = (m + Mr - 1) / Mr * Mr;
        long paddedN = (n + Nr - 1) / Nr * Nr;
        long packedB = bColumnsContiguous ? (n % Nr == 0 ? 0 : (long)k * Nr) : (long)k * paddedN;
        long packedA = (long)m * k * ((n + Nc - 1) / Nc);
        long stores = transposedStore ? 2L * m * n : (long)m * n / 8;
        return paddedM * paddedN * k / 16 + packedA + packedB + stores;
    }

    private static void Blocked(int m, int n, int k, float alpha,
                                float* a, nint rsA, nint csA, float* b, nint rsB, nint csB,
                                float beta, float* c, nint rsC, nint csC)
    {
        float* bBlock = stackalloc float[Kc * Nc]; // up to Nc/16 panels, each (kc, 16) row-major
        float* aPanel = stackalloc float[Kc * Mr]; // (kc, 4): the 4 rows of A interleaved per p
        float* tile = stackalloc float[Mr * Nr];   // edge tiles go through here
        float** panels = stackalloc float*[Nc / Nr];
        nint* panelLd = stackalloc nint[Nc / Nr];
        for (int p0 = 0; p0 < k; p0 += Kc)
        {
            int kc = Math.Min(Kc, k - p0);
            float betaBlock = p0 == 0 ? beta : 1f; // later k-blocks accumulate onto the first
            for (int j0 = 0; j0 < n; j0 += Nc)
            {
                int nc = Math.Min(Nc, n - j0);
                int panelCount = (nc + Nr - 1) / Nr;
                for (int q = 0; q < panelCount; q++)
                {
                    int jq = j0 + q * Nr;
                    int nr = Math.Min(Nr, n - jq);
                    float* bSrc = b + p0 * rsB + jq * csB;
                    if (csB == 1 && nr == Nr)
                    {
                        panels[q] = bSrc; // already 16 contiguous columns per row: read in place
                        panelLd[q] = rsB;
                    }
                    else
                    {
                        panels[q] = bBlock + q * Kc * Nr;
                        panelLd[q] = Nr;
                        PackB(bSrc, rsB, csB, kc, nr, panels[q]);
                    }
                }
                for (int i0 = 0; i0 < m; i0 += Mr)
                {
                    int mr = Math.Min(Mr, m - i0);
                    PackA(a + i0 * rsA + p0 * csA, rsA, csA, mr, kc, aPanel);
                    for (int q = 0; q < panelCount; q++)
                    {
                        int jq = j0 + q * Nr;
                        Kernel(aPanel, panels[q], panelLd[q], kc, alpha, betaBlock,
                               c + i0 * rsC + jq * csC, rsC, csC, mr, Math.Min(Nr, n - jq), tile);
                    }
                }
            }
        }
    }

    /// <summary>dst(kc,4) = src(r, p) for r &lt; mr, zero beyond.</summary>
    private static void PackA(float* src, nint rs, nint cs, int mr, int kc, float* dst)
    {
        if (rs == 1)
        {
            for (int p = 0; p < kc; p++)
            {
                float* from = src + p * cs;
                float* to = dst + p * Mr;
                int r = 0;
                for (; r < mr; r++) to[r] = from[r];
                for (; r < Mr; r++) to[r] = 0f;
            }
            return;
        }
        for (int r = 0; r < mr; r++)
        {
            float* from = src + r * rs;
            for (int p = 0; p < kc; p++) dst[p * Mr + r] = from[p * cs];
        }
        for (int r = mr; r < Mr; r++)
        {
            for (int p = 0; p < kc; p++) dst[p * Mr + r] = 0f;
        }
    }

    /// <summary>dst(kc,16) = src(p, j) for j &lt; nr, zero beyond.</summary>
    private static void PackB(float* src, nint rs, nint cs, int kc, int nr, float* dst)
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

    /// <summary>C(mr,nr) = alpha·A(4,kc)·B(kc,16) + beta·C on one 4×16 tile, A from its packed panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(float* a, float* b, nint ldb, int kc, float alpha, float beta,
                               float* c, nint rsC, nint csC, int mr, int nr, float* tile)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = c00, c10 = c00, c11 = c00;
        Vector256<float> c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = kc; p > 0; p--)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            Vector256<float> x = Vector256.Create(a[0]);
            c00 = Vector256.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Vector256.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Vector256.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Vector256.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(x, b1, c31);
            a += Mr;
            b += ldb;
        }
        if (mr == Mr && nr == Nr && csC == 1)
        {
            Store(c, c00, c01, alpha, beta);
            Store(c + rsC, c10, c11, alpha, beta);
            Store(c + 2 * rsC, c20, c21, alpha, beta);
            Store(c + 3 * rsC, c30, c31, alpha, beta);
            return;
        }
        c00.Store(tile); c01.Store(tile + 8);
        c10.Store(tile + 16); c11.Store(tile + 24);
        c20.Store(tile + 32); c21.Store(tile + 40);
        c30.Store(tile + 48); c31.Store(tile + 56);
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
