using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Tests.Blas;

/// <summary>Every BLAS provider the tests should exercise on this machine.</summary>
public static class TestProviders
{
    /// <summary>Managed always; MKL (one thread, reproducible) when it loads. Under CI=true a missing MKL throws.</summary>
    public static IEnumerable<IBlas> All()
    {
        yield return new ManagedBlas();
        if (MklBlas.IsAvailable(out string reason))
        {
            yield return MklBlas.Create(threads: 1, reproducible: true);
        }
        else if (MklRequirement.IsCi)
        {
            throw new InvalidOperationException($"CI=true but MKL is unavailable: {reason}");
        }
    }

    /// <summary>Provider names for [MemberData]: xunit shows them in test names.</summary>
    public static TheoryData<string> Names() => new() { "managed", "mkl" };

    /// <summary>The provider behind a name from <see cref="Names"/>; "mkl" skips (or fails under CI) without MKL.</summary>
    public static IBlas Get(string name)
    {
        if (name == "managed")
        {
            return new ManagedBlas();
        }
        MklRequirement.SkipUnlessAvailable();
        return MklBlas.Create(threads: 1, reproducible: true);
    }
}
