using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Tests.Blas;

/// <summary>Every BLAS provider the tests should exercise on this machine.</summary>
public static class TestProviders
{
    public static IEnumerable<IBlas> All()
    {
        yield return new ManagedBlas();
        // MKL joins here when available (MklBlas); under CI=true its absence is a failure, not a skip.
    }
}
