namespace DqnStudy.Nn.Blas;

/// <summary>
/// The few BLAS routines the core needs, single precision, row-major only.
/// Matrices are dense and packed: the leading dimension is the stored row length
/// (k for A = (m,k) untransposed, m for A stored (k,m) and transposed, and so on).
/// Argument order follows CBLAS: inputs, then the output last.
/// </summary>
public interface IBlas
{
    /// <summary>Short provider name written to run logs: "mkl" or "managed".</summary>
    string Name { get; }

    /// <summary>One line for humans and run logs: provider, version, threads, reproducibility mode.</summary>
    string Describe();

    /// <summary>c(m,n) = alpha·op(a)·op(b) + beta·c. op(a) is (m,k), op(b) is (k,n).</summary>
    void Gemm(Trans transA, Trans transB, int m, int n, int k, float alpha,
              ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c);

    /// <summary>c(m,n) = op(a)·op(b) + bias on every row (bias has n elements): a layer's y = x·Wᵀ + b.
    /// The same numbers as filling c's rows with bias and calling Gemm with alpha = beta = 1; a provider may do it
    /// in one pass (the managed kernel adds the bias as it stores each tile).</summary>
    void GemmBias(Trans transA, Trans transB, int m, int n, int k,
                  ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c);

    /// <summary>y = alpha·op(a)·x + beta·y, with a stored (m,n) row-major.
    /// x has n elements and y has m when trans = No; the reverse when trans = Yes.</summary>
    void Gemv(Trans trans, int m, int n, float alpha,
              ReadOnlySpan<float> a, ReadOnlySpan<float> x, float beta, Span<float> y);

    /// <summary>y += alpha·x.</summary>
    void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y);

    /// <summary>Σ x[i]·y[i].</summary>
    float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y);
}
