using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.EndToEnd;

/// <summary>The managed BLAS with a place to step in: the test BLASes that inject a fault or a stop into a real run
/// override only the calls they watch.</summary>
internal abstract class ManagedBlasDecorator : IBlas
{
    protected ManagedBlas Inner { get; } = new();

    public string Name => Inner.Name;

    public string Describe() => Inner.Describe();

    public virtual void Gemm(Trans transA, Trans transB, int m, int n, int k, float alpha,
                             ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c) =>
        Inner.Gemm(transA, transB, m, n, k, alpha, a, b, beta, c);

    public virtual void GemmBias(Trans transA, Trans transB, int m, int n, int k,
                                 ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c) =>
        Inner.GemmBias(transA, transB, m, n, k, a, b, bias, c);

    public virtual void Gemv(Trans trans, int m, int n, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> x, float beta, Span<float> y) =>
        Inner.Gemv(trans, m, n, alpha, a, x, beta, y);

    public void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y) => Inner.Axpy(alpha, x, y);

    public float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Inner.Dot(x, y);
}
