using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DqnStudy.Nn.Blas;

/// <summary>
/// Always-available provider and the cross-check for MKL. GEMM is a register-tiled kernel (<see cref="ManagedGemm"/>):
/// 8×32 AVX-512 tiles where the CPU runs Vector512 in hardware, 6×16 AVX2 tiles otherwise; GEMV and DOT are Vector256 loops with a scalar tail.
/// Deterministic: the summation order depends only on the shapes, never on addresses, alignment or timing
/// (which is why Dot is hand-written: TensorPrimitives.Dot may peel a misaligned head, so its rounding could
/// differ when the GC places the same data elsewhere). Stateless and allocation-free: one instance may be shared
/// by several threads.
/// </summary>
[SkipLocalsInit]
public sealed class ManagedBlas : IBlas
{
    private readonly bool _wide;

    /// <param name="allowAvx512">false keeps the AVX2 tiles on a CPU with AVX-512 (tests cover both paths so).</param>
    public ManagedBlas(bool allowAvx512 = true)
    {
        _wide = allowAvx512 && ManagedGemm.WideAvailable;
    }

    public string Name => "managed";

    /// <summary>Whether the blocked GEMMs run on the 8×32 AVX-512 tiles (else the 6×16 AVX2 ones).</summary>
    public bool UsesAvx512 => _wide;

    public string Describe() =>
        "managed (" + (_wide ? $"{ManagedGemm.WideMr}x{ManagedGemm.WideNr} register-tiled GEMM, AVX-512"
                            : $"{ManagedGemm.Mr}x{ManagedGemm.Nr} register-tiled GEMM, " +
                              (Fma.IsSupported ? "AVX2+FMA" : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector256 emulated")) +
        ", 1 thread, deterministic)";

    public void Gemm(Trans transA, Trans transB, int m, int n, int k, float alpha,
                     ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        BlasArgs.Gemm(transA, transB, m, n, k, a, b, c);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || alpha == 0f)
        {
            Scale(beta, c[..(m * n)]); // BLAS: a and b are not read, c = beta·c
            return;
        }
        ManagedGemm.Run(_wide, transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    public void GemmBias(Trans transA, Trans transB, int m, int n, int k,
                         ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c)
    {
        BlasArgs.GemmBias(transA, transB, m, n, k, a, b, bias, c);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            FillRows(bias[..n], c[..(m * n)]);
            return;
        }
        ManagedGemm.Run(_wide, transA, transB, m, n, k, 1f, a, b, 1f, bias, 0, c); // bias as C's input, row stride 0
    }

    public void Gemv(Trans trans, int m, int n, float alpha,
                     ReadOnlySpan<float> a, ReadOnlySpan<float> x, float beta, Span<float> y)
    {
        BlasArgs.Gemv(trans, m, n, a, x, y);
        if (trans == Trans.No)
        {
            // y(m) = alpha·a(m,n)·x(n) + beta·y: one contiguous dot per row.
            for (int i = 0; i < m; i++)
            {
                float sum = alpha * DotCore(a.Slice(i * n, n), x);
                y[i] = beta == 0f ? sum : sum + beta * y[i];
            }
            return;
        }
        // y(n) = alpha·a(m,n)ᵀ·x(m) + beta·y: scale once, then add the rows of a in order.
        Span<float> yn = y[..n];
        Scale(beta, yn);
        if (alpha == 0f)
        {
            return;
        }
        for (int i = 0; i < m; i++)
        {
            TensorPrimitives.MultiplyAdd(a.Slice(i * n, n), alpha * x[i], yn, yn);
        }
    }

    public void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        BlasArgs.Pair(x, y);
        Span<float> yn = y[..x.Length];
        TensorPrimitives.MultiplyAdd(x, alpha, yn, yn); // element-wise, so alignment cannot change any result
    }

    public float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        BlasArgs.Pair(x, y);
        return DotCore(x, y[..x.Length]);
    }

    /// <summary>Every row of c (rows of row.Length) = row, by doubling: log2(rows) block copies, not one per row.</summary>
    internal static void FillRows(ReadOnlySpan<float> row, Span<float> c)
    {
        row.CopyTo(c);
        for (int filled = row.Length; filled < c.Length; filled *= 2)
        {
            int chunk = Math.Min(filled, c.Length - filled);
            c[..chunk].CopyTo(c.Slice(filled, chunk));
        }
    }

    /// <summary>c = beta·c with BLAS's rule that beta = 0 overwrites (NaN in c does not survive).</summary>
    internal static void Scale(float beta, Span<float> c)
    {
        if (beta == 0f)
        {
            c.Clear();
        }
        else if (beta != 1f)
        {
            TensorPrimitives.Multiply(c, beta, c);
        }
    }

    /// <summary>Σ x[i]·y[i] over x.Length elements in a fixed order: 4 Vector256 lanes-sets, folded, then the tail.</summary>
    internal static float DotCore(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int length = x.Length;
        ref float rx = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref float ry = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        int i = 0;
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        for (; i <= length - 32; i += 32)
        {
            s0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i), s0);
            s1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref rx, (nuint)(i + 8)), Vector256.LoadUnsafe(ref ry, (nuint)(i + 8)), s1);
            s2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref rx, (nuint)(i + 16)), Vector256.LoadUnsafe(ref ry, (nuint)(i + 16)), s2);
            s3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref rx, (nuint)(i + 24)), Vector256.LoadUnsafe(ref ry, (nuint)(i + 24)), s3);
        }
        for (; i <= length - 8; i += 8)
        {
            s0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256.LoadUnsafe(ref ry, (nuint)i), s0);
        }
        float sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        for (; i < length; i++)
        {
            sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref rx, i), Unsafe.Add(ref ry, i), sum);
        }
        return sum;
    }
}
