using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DqnStudy.Nn.Blas;

/// <summary>
/// Single-threaded GEMM sized for DQN's matrices (tens to a few hundred per side), in the BLIS shape but without
/// BLIS's copies where they do not pay:
/// <list type="bullet">
/// <item>a 6×16 register tile (12 Vector256 accumulators, 2 B vectors and 1 broadcast: 15 of the 16 ymm registers;
/// checked in the JIT's disassembly to stay spill-free), 6 cycles of FMAs per k-step against 8 loads;</item>
/// <item>op(A) is read in place through six row pointers whatever its transpose (a row of A, or a column of a
/// stored-transposed A, is just a stride), so A is never packed;</item>
/// <item>op(B) is read in place when its 16 columns are contiguous (B untransposed); a transposed B (the forward's
/// Wᵀ) is packed once per 16-column panel with 8×8 AVX transposes; only a ragged last panel is zero-padded;</item>
/// <item>k ≤ 4 (the first layer's forward, the Q-head's dx) skips the tile machinery: C's rows are a few axpys.</item>
/// </list>
/// The order of every sum depends only on the shape (k ascending inside a k-block, blocks in order), never on
/// addresses or timing, so results are bit-reproducible. Everything lives on the stack (≈ 17 KB): no heap.
/// </summary>
[SkipLocalsInit]
internal static unsafe class ManagedGemm
{
    public const int Mr = 6;
    public const int Nr = 16;
    private const int Kc = 256;    // a (256, 16) panel is 16 KB: half of a 32 KB L1d, the other half for A's rows and C
    private const int SmallK = 4;
    private const int SmallKMaxGather = 512; // a transposed B of up to (4, 512) is gathered on the stack (8 KB)

    /// <summary>c = alpha·op(a)·op(b) + beta·c. Arguments are already validated, m, n, k ≥ 1 and alpha ≠ 0.</summary>
    public static void Run(Trans transA, Trans transB, int m, int n, int k, float alpha,
                           ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c) =>
        Run(transA, transB, m, n, k, alpha, a, b, beta, c, n, c);

    /// <summary>c = alpha·op(a)·op(b) + beta·cIn, where cIn(i,j) = cIn[i·rowStrideIn + j]: cIn is c itself
    /// (rowStrideIn = n) for a plain GEMM, or a bias row broadcast down C (rowStrideIn = 0) for a layer's
    /// x·Wᵀ + b in one pass. beta = 0 never reads cIn.</summary>
    public static void Run(Trans transA, Trans transB, int m, int n, int k, float alpha,
                           ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta,
                           ReadOnlySpan<float> cIn, int rowStrideIn, Span<float> c)
    {
        // op(A)(i,p) = a[i·rsA + p·csA]   op(B)(p,j) = b[p·rsB + j·csB]   C(i,j) = c[i·n + j]
        nint rsA = transA == Trans.No ? k : 1, csA = transA == Trans.No ? 1 : m;
        nint rsB = transB == Trans.No ? n : 1, csB = transB == Trans.No ? 1 : k;
        nint rsIn = rowStrideIn;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pin = cIn)
        fixed (float* pc = c)
        {
            if (m == 1)
            {
                // One row (a greedy action's single-state forward): a dot per output or a row sweep touches B once.
                SingleRow(transB, n, k, alpha, pa, pb, beta, pin, pc);
                return;
            }
            if (transA == Trans.No && transB == Trans.Yes && n <= 4 && k >= 8)
            {
                // y = x·wᵀ into a handful of outputs (the Q-head): every C(i,j) is a dot of two contiguous rows.
                RowDots(m, n, k, alpha, pa, pb, beta, pin, rsIn, pc);
                return;
            }
            if (k <= SmallK && n >= 8 && (csB == 1 || n <= SmallKMaxGather))
            {
                SmallInner(m, n, k, alpha, pa, rsA, csA, pb, rsB, csB, beta, pin, rsIn, pc);
                return;
            }
            if (Cost(n, m, k, rsA == 1, transposedStore: true) < Cost(m, n, k, csB == 1, transposedStore: false))
            {
                // Cᵀ(n,m) = op(B)ᵀ·op(A)ᵀ: A' is op(B) read transposed, B' is op(A) read transposed.
                Panels(n, m, k, alpha, pb, csB, rsB, pa, csA, rsA, beta, pin, 1, rsIn, pc, 1, n);
            }
            else
            {
                Panels(m, n, k, alpha, pa, rsA, csA, pb, rsB, csB, beta, pin, rsIn, 1, pc, n, 1);
            }
        }
    }

    /// <summary>c(1,n) = alpha·a(1,k)·op(b) + beta·c. a is contiguous whatever transA says (a (1,k) row or a (k,1)
    /// column). transB = Yes: b is (n,k), each c[j] one contiguous dot; No: b is (k,n), c accumulates k scaled rows
    /// of b in order. The order depends only on the shape, so results stay deterministic.</summary>
    private static void SingleRow(Trans transB, int n, int k, float alpha, float* a, float* b, float beta, float* cIn, float* c)
    {
        if (transB == Trans.Yes)
        {
            RowTimesRowsT(n, k, alpha, a, b, beta, cIn, c);
            return;
        }
        for (int j = 0; j < n; j++) c[j] = beta == 0f ? 0f : beta * cIn[j];
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

    /// <summary>c(1,n) = alpha·x(1,k)·b(n,k)ᵀ + beta·c: four outputs at a time, each an 8-lane running sum over k
    /// folded by Vector256.Sum, then the scalar tail; a short k (the first layer's 4 inputs) is one scalar chain per
    /// output. Per-call overhead matters here: this is every greedy action's forward.</summary>
    private static void RowTimesRowsT(int n, int k, float alpha, float* x, float* b, float beta, float* cIn, float* c)
    {
        int j = 0;
        if (k >= 8)
        {
            for (; j <= n - 4; j += 4)
            {
                float* w0 = b + (nint)j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
                Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
                int p = 0;
                for (; p <= k - 8; p += 8)
                {
                    Vector256<float> v = Vector256.Load(x + p);
                    s0 = Vector256.MultiplyAddEstimate(v, Vector256.Load(w0 + p), s0);
                    s1 = Vector256.MultiplyAddEstimate(v, Vector256.Load(w1 + p), s1);
                    s2 = Vector256.MultiplyAddEstimate(v, Vector256.Load(w2 + p), s2);
                    s3 = Vector256.MultiplyAddEstimate(v, Vector256.Load(w3 + p), s3);
                }
                float d0 = Vector256.Sum(s0), d1 = Vector256.Sum(s1), d2 = Vector256.Sum(s2), d3 = Vector256.Sum(s3);
                for (; p < k; p++)
                {
                    d0 = MathF.FusedMultiplyAdd(x[p], w0[p], d0);
                    d1 = MathF.FusedMultiplyAdd(x[p], w1[p], d1);
                    d2 = MathF.FusedMultiplyAdd(x[p], w2[p], d2);
                    d3 = MathF.FusedMultiplyAdd(x[p], w3[p], d3);
                }
                c[j] = beta == 0f ? alpha * d0 : alpha * d0 + beta * cIn[j];
                c[j + 1] = beta == 0f ? alpha * d1 : alpha * d1 + beta * cIn[j + 1];
                c[j + 2] = beta == 0f ? alpha * d2 : alpha * d2 + beta * cIn[j + 2];
                c[j + 3] = beta == 0f ? alpha * d3 : alpha * d3 + beta * cIn[j + 3];
            }
        }
        for (; j < n; j++)
        {
            float* w = b + (nint)j * k;
            float sum = 0f;
            int p = 0;
            if (k >= 8)
            {
                // The same lanes-then-tail order as the 4-output loop above, so an output's value does not depend
                // on whether n was a multiple of 4.
                Vector256<float> s = Vector256<float>.Zero;
                for (; p <= k - 8; p += 8) s = Vector256.MultiplyAddEstimate(Vector256.Load(x + p), Vector256.Load(w + p), s);
                sum = Vector256.Sum(s);
            }
            for (; p < k; p++) sum = MathF.FusedMultiplyAdd(x[p], w[p], sum);
            c[j] = beta == 0f ? alpha * sum : alpha * sum + beta * cIn[j];
        }
    }

    /// <summary>C(m,n) = alpha·a(m,k)·b(n,k)ᵀ + beta·C for n ≤ 4: two rows of a at a time against every row of b,
    /// eight independent Vector256 sums (enough to hide FMA latency), then a fixed-order fold and scalar tail.
    /// Missing rows/columns repeat the last valid one (in range; results discarded).</summary>
    private static void RowDots(int m, int n, int k, float alpha, float* a, float* b, float beta, float* cIn, nint rsIn, float* c)
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
                    float value = alpha * sums[r * 4 + j];
                    c[(i + r) * n + j] = beta == 0f ? value : value + beta * cIn[(i + r) * rsIn + j];
                }
            }
        }
    }

    /// <summary>Rough cycles: 6 per k-step of a 6-row tile against a 16-column panel (4 for an 8-wide edge panel),
    /// ~1 per element packed, and C's stores (about 2 cycles each when a transposed problem scatters them).</summary>
    private static long Cost(int m, int n, int k, bool bColumnsContiguous, bool transposedStore)
    {
        long rowTiles = (m + Mr - 1) / Mr;
        int rest = n % Nr;
        long perStep = n / Nr * 6L + (rest == 0 ? 0 : rest <= 8 ? 4 : 6);
        long packed = bColumnsContiguous ? (rest == 0 ? 0 : (long)k * Nr) : (long)k * n;
        long stores = transposedStore ? 2L * m * n : (long)m * n / 8;
        return rowTiles * perStep * k + packed + stores;
    }

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

    /// <summary>k ≤ 4: each row of C is beta·C + alpha·Σp op(A)(i,p)·op(B)(p,:), a few fused axpys over a row of
    /// op(B) that is first gathered into a contiguous (k, n) block when B is stored transposed.</summary>
    private static void SmallInner(int m, int n, int k, float alpha, float* a, nint rsA, nint csA,
                                   float* b, nint rsB, nint csB, float beta, float* cIn, nint rsIn, float* c)
    {
        float* rows = b;
        if (csB != 1)
        {
            float* gathered = stackalloc float[SmallK * SmallKMaxGather];
            for (int p = 0; p < k; p++)
            {
                for (int j = 0; j < n; j++) gathered[p * n + j] = b[p * rsB + j * csB];
            }
            rows = gathered;
            rsB = n;
        }
        // Unused rows (k < 4) are never read: the switch picks the row function with exactly k terms.
        float* r0 = rows, r1 = rows + Math.Min(1, k - 1) * rsB, r2 = rows + Math.Min(2, k - 1) * rsB, r3 = rows + Math.Min(3, k - 1) * rsB;
        for (int i = 0; i < m; i++)
        {
            float* ai = a + i * rsA;
            float* ci = c + (nint)i * n;
            float* input = cIn + i * rsIn;
            float s0 = alpha * ai[0];
            float s1 = k > 1 ? alpha * ai[csA] : 0f, s2 = k > 2 ? alpha * ai[2 * csA] : 0f, s3 = k > 3 ? alpha * ai[3 * csA] : 0f;
            switch (k)
            {
                case 4: RowOf4(n, s0, s1, s2, s3, r0, r1, r2, r3, beta, input, ci); break;
                case 3: RowOf3(n, s0, s1, s2, r0, r1, r2, beta, input, ci); break;
                case 2: RowOf2(n, s0, s1, r0, r1, beta, input, ci); break;
                default: RowOf1(n, s0, r0, beta, input, ci); break;
            }
        }
    }

    // c = s0·r0 + s1·r1 + … (+ beta·c), left to right, the same order in the vector body and the scalar tail.
    private static void RowOf4(int n, float s0, float s1, float s2, float s3, float* r0, float* r1, float* r2, float* r3, float beta, float* cIn, float* c)
    {
        Vector256<float> v0 = Vector256.Create(s0), v1 = Vector256.Create(s1), v2 = Vector256.Create(s2), v3 = Vector256.Create(s3);
        Vector256<float> vb = Vector256.Create(beta);
        int j = 0;
        for (; j <= n - 8; j += 8)
        {
            Vector256<float> sum = v0 * Vector256.Load(r0 + j);
            sum = Vector256.MultiplyAddEstimate(v1, Vector256.Load(r1 + j), sum);
            sum = Vector256.MultiplyAddEstimate(v2, Vector256.Load(r2 + j), sum);
            sum = Vector256.MultiplyAddEstimate(v3, Vector256.Load(r3 + j), sum);
            if (beta != 0f) sum = Vector256.MultiplyAddEstimate(vb, Vector256.Load(cIn + j), sum);
            sum.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = MathF.FusedMultiplyAdd(s3, r3[j], MathF.FusedMultiplyAdd(s2, r2[j], MathF.FusedMultiplyAdd(s1, r1[j], s0 * r0[j])));
            c[j] = beta == 0f ? sum : MathF.FusedMultiplyAdd(beta, cIn[j], sum);
        }
    }

    private static void RowOf3(int n, float s0, float s1, float s2, float* r0, float* r1, float* r2, float beta, float* cIn, float* c)
    {
        Vector256<float> v0 = Vector256.Create(s0), v1 = Vector256.Create(s1), v2 = Vector256.Create(s2), vb = Vector256.Create(beta);
        int j = 0;
        for (; j <= n - 8; j += 8)
        {
            Vector256<float> sum = v0 * Vector256.Load(r0 + j);
            sum = Vector256.MultiplyAddEstimate(v1, Vector256.Load(r1 + j), sum);
            sum = Vector256.MultiplyAddEstimate(v2, Vector256.Load(r2 + j), sum);
            if (beta != 0f) sum = Vector256.MultiplyAddEstimate(vb, Vector256.Load(cIn + j), sum);
            sum.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = MathF.FusedMultiplyAdd(s2, r2[j], MathF.FusedMultiplyAdd(s1, r1[j], s0 * r0[j]));
            c[j] = beta == 0f ? sum : MathF.FusedMultiplyAdd(beta, cIn[j], sum);
        }
    }

    private static void RowOf2(int n, float s0, float s1, float* r0, float* r1, float beta, float* cIn, float* c)
    {
        Vector256<float> v0 = Vector256.Create(s0), v1 = Vector256.Create(s1), vb = Vector256.Create(beta);
        int j = 0;
        for (; j <= n - 8; j += 8)
        {
            Vector256<float> sum = Vector256.MultiplyAddEstimate(v1, Vector256.Load(r1 + j), v0 * Vector256.Load(r0 + j));
            if (beta != 0f) sum = Vector256.MultiplyAddEstimate(vb, Vector256.Load(cIn + j), sum);
            sum.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = MathF.FusedMultiplyAdd(s1, r1[j], s0 * r0[j]);
            c[j] = beta == 0f ? sum : MathF.FusedMultiplyAdd(beta, cIn[j], sum);
        }
    }

    private static void RowOf1(int n, float s0, float* r0, float beta, float* cIn, float* c)
    {
        Vector256<float> v0 = Vector256.Create(s0), vb = Vector256.Create(beta);
        int j = 0;
        for (; j <= n - 8; j += 8)
        {
            Vector256<float> sum = v0 * Vector256.Load(r0 + j);
            if (beta != 0f) sum = Vector256.MultiplyAddEstimate(vb, Vector256.Load(cIn + j), sum);
            sum.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = s0 * r0[j];
            c[j] = beta == 0f ? sum : MathF.FusedMultiplyAdd(beta, cIn[j], sum);
        }
    }
}
