using System.Runtime.CompilerServices;

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
/// C's input may be another buffer with its own row stride: a bias row with stride 0 turns the store into the
/// layer's "+ b" (IBlas.GemmBias). The order of every sum depends only on the shape (k ascending inside a k-block —
/// the 6×8 edge tile keeps even and odd k apart and adds them at the end — and blocks in order), never on addresses
/// or timing, so results are bit-reproducible. Everything lives on the stack (≤ 17 KB): no heap.
/// </summary>
[SkipLocalsInit]
internal static unsafe partial class ManagedGemm
{
    public const int Mr = 6;
    public const int Nr = 16;
    private const int Kc = 256;    // a (256, 16) panel is 16 KB: half of a 32 KB L1d, the other half for A's rows and C
    private const int SmallK = 4;
    private const int SmallKMaxGather = 512; // a transposed B of up to (4, 512) is gathered on the stack (8 KB)

    /// <summary>c = alpha·op(a)·op(b) + beta·c. Arguments are already validated, m, n, k ≥ 1 and alpha ≠ 0.
    /// wide: the blocked shapes take the AVX-512 tiles (only when <see cref="WideAvailable"/>).</summary>
    public static void Run(bool wide, Trans transA, Trans transB, int m, int n, int k, float alpha,
                           ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c) =>
        Run(wide, transA, transB, m, n, k, alpha, a, b, beta, c, n, c);

    /// <summary>c = alpha·op(a)·op(b) + beta·cIn, where cIn(i,j) = cIn[i·rowStrideIn + j]: cIn is c itself
    /// (rowStrideIn = n) for a plain GEMM, or a bias row broadcast down C (rowStrideIn = 0) for a layer's
    /// x·Wᵀ + b in one pass. beta = 0 never reads cIn.</summary>
    public static void Run(bool wide, Trans transA, Trans transB, int m, int n, int k, float alpha,
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
                if (n <= 2) RowDots2(m, n, k, alpha, pa, pb, beta, pin, rsIn, pc);
                else RowDots(m, n, k, alpha, pa, pb, beta, pin, rsIn, pc);
                return;
            }
            if (k <= SmallK && n >= 8 && (csB == 1 || n <= SmallKMaxGather))
            {
                SmallInner(m, n, k, alpha, pa, rsA, csA, pb, rsB, csB, beta, pin, rsIn, pc);
                return;
            }
            if (wide)
            {
                if (WideCost(n, m, k, rsA == 1, transposedStore: true) < WideCost(m, n, k, csB == 1, transposedStore: false))
                {
                    WidePanels(n, m, k, alpha, pb, csB, rsB, pa, csA, rsA, beta, pin, 1, rsIn, pc, 1, n);
                }
                else
                {
                    WidePanels(m, n, k, alpha, pa, rsA, csA, pb, rsB, csB, beta, pin, rsIn, 1, pc, n, 1);
                }
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
}
