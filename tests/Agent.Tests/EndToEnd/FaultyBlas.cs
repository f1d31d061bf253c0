using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.EndToEnd;

/// <summary>
/// The managed BLAS, except that the `call`-th GEMM writing into the gradient tensor `target` returns a NaN at `index`:
/// a fault where real ones come from (a provider's wrong result), reaching the learner through the same IBlas the run
/// is given. Which tensor is read through `target` once the trainer has built its network.
/// </summary>
internal sealed class FaultyBlas(int call, int index) : IBlas
{
    public delegate Span<float> Tensor();

    private readonly ManagedBlas _inner = new();
    private int _calls;

    /// <summary>The tensor to poison (set after the trainer is built, before it runs).</summary>
    public Tensor? Target { get; set; }

    public string Name => _inner.Name;

    public string Describe() => _inner.Describe();

    public void Gemm(Trans transA, Trans transB, int m, int n, int k, float alpha,
                     ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        _inner.Gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        if (Target is null) return;
        Span<float> target = Target();
        if (c.Overlaps(target) && ++_calls == call) target[index] = float.NaN;
    }

    public void GemmBias(Trans transA, Trans transB, int m, int n, int k,
                         ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c) =>
        _inner.GemmBias(transA, transB, m, n, k, a, b, bias, c);

    public void Gemv(Trans trans, int m, int n, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> x, float beta, Span<float> y) =>
        _inner.Gemv(trans, m, n, alpha, a, x, beta, y);

    public void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y) => _inner.Axpy(alpha, x, y);

    public float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => _inner.Dot(x, y);
}
