using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Tests.Blas;

/// <summary>The one place that decides what a missing MKL means to a test: a skip with the reason locally,
/// a failure when CI=true (CI installs MKL, so its absence there is a broken setup, not a skip).</summary>
public static class MklRequirement
{
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Call first in every [SkippableFact]/[SkippableTheory] that needs MKL.</summary>
    public static void SkipUnlessAvailable()
    {
        if (MklBlas.IsAvailable(out string reason))
        {
            return;
        }
        if (IsCi)
        {
            Assert.Fail($"CI=true but MKL is unavailable: {reason}");
        }
        Skip.If(true, $"MKL unavailable ({reason}); {BlasUnavailableException.InstallHint}");
    }
}
