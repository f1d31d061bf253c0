using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.EndToEnd;

/// <summary>
/// The managed BLAS, except that the `call`-th GEMM writing into the gradient tensor `target` returns a NaN at `index`:
/// a fault where real ones come from (a provider's wrong result), reaching the learner through the same IBlas the run
/// is given. Which tensor is read through `target` once the trainer has built its network.
/// </summary>
internal sealed class FaultyBlas(int call, int index) : ManagedBlasDecorator
{
    public delegate Span<float> Tensor();

    private int _calls;

    /// <summary>The tensor to poison (set after the trainer is built, before it runs).</summary>
    public Tensor? Target { get; set; }

    public override void Gemm(Trans transA, Trans transB, int m, int n, int k, float alpha,
                              ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        Inner.Gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        if (Target is null) return;
        Span<float> target = Target();
        if (c.Overlaps(target) && ++_calls == call) target[index] = float.NaN;
    }
}
