using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Tests.Blas;

/// <summary>Every BLAS provider the tests should exercise on this machine.</summary>
public static class TestProviders
{
    /// <summary>Managed always (and its AVX2 tiles too where the CPU has AVX-512); MKL (one thread, reproducible) when
    /// it loads. Under CI=true a missing MKL throws.</summary>
    public static IEnumerable<IBlas> All()
    {
        yield return new ManagedBlas();
        if (ManagedGemm.WideAvailable)
        {
            yield return new ManagedBlas(allowAvx512: false);
        }
        if (MklBlas.IsAvailable(out string reason))
        {
            yield return MklBlas.Create(threads: 1, reproducible: true);
        }
        else if (MklRequirement.IsCi)
        {
            throw new InvalidOperationException($"CI=true but MKL is unavailable: {reason}");
        }
    }

    /// <summary>Provider names for [MemberData]: xunit shows them in test names. "managed-avx2" is the managed provider
    /// held to its AVX2 tiles (the same as "managed" on a CPU without AVX-512).</summary>
    public static TheoryData<string> Names() => new() { "managed", "managed-avx2", "mkl" };

    /// <summary>The provider behind a name from <see cref="Names"/>; "mkl" skips (or fails under CI) without MKL.</summary>
    public static IBlas Get(string name)
    {
        if (name == "managed")
        {
            return new ManagedBlas();
        }
        if (name == "managed-avx2")
        {
            return new ManagedBlas(allowAvx512: false);
        }
        MklRequirement.SkipUnlessAvailable();
        return MklBlas.Create(threads: 1, reproducible: true);
    }

    /// <summary>The name a test line shows: the provider's, or "managed-avx2" for managed held to its AVX2 tiles.</summary>
    public static string Label(IBlas blas) =>
        blas is ManagedBlas { UsesAvx512: false } && ManagedGemm.WideAvailable ? "managed-avx2" : blas.Name;
}
