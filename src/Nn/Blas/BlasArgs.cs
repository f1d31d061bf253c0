namespace DqnStudy.Nn.Blas;

/// <summary>Argument checks shared by every provider, run before any element is touched,
/// so that no provider (least of all native MKL) can read or write out of range.</summary>
internal static class BlasArgs
{
    public static void Gemm(Trans transA, Trans transB, int m, int n, int k,
                            ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        RequireTrans(transA, nameof(transA));
        RequireTrans(transB, nameof(transB));
        Shapes.RequireNonNegative(m, nameof(m));
        Shapes.RequireNonNegative(n, nameof(n));
        Shapes.RequireNonNegative(k, nameof(k));
        Shapes.Require(a, (long)m * k, nameof(a));
        Shapes.Require(b, (long)k * n, nameof(b));
        Shapes.Require(c, (long)m * n, nameof(c));
    }

    public static void GemmBias(Trans transA, Trans transB, int m, int n, int k,
                                ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c)
    {
        Gemm(transA, transB, m, n, k, a, b, c);
        Shapes.Require(bias, n, nameof(bias));
    }

    public static void Gemv(Trans trans, int m, int n, ReadOnlySpan<float> a, ReadOnlySpan<float> x, Span<float> y)
    {
        RequireTrans(trans, nameof(trans));
        Shapes.RequireNonNegative(m, nameof(m));
        Shapes.RequireNonNegative(n, nameof(n));
        Shapes.Require(a, (long)m * n, nameof(a));
        Shapes.Require(x, trans == Trans.No ? n : m, nameof(x));
        Shapes.Require(y, trans == Trans.No ? m : n, nameof(y));
    }

    /// <summary>x sets the length; y may be longer (only its first x.Length elements are used).</summary>
    public static void Pair(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Shapes.Require(y, x.Length, "y");

    private static void RequireTrans(Trans trans, string name)
    {
        if (trans != Trans.No && trans != Trans.Yes)
        {
            throw new ArgumentOutOfRangeException(name, trans, $"{name} must be Trans.No or Trans.Yes.");
        }
    }
}
