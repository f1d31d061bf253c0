using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Tests.Blas;

public sealed class BlasSelectorTests
{
    private static bool Missing(out string reason)
    {
        reason = "libmkl_rt.so not found (tried libmkl_rt.so): install Debian's libmkl-rt from non-free";
        return false;
    }

    [Fact]
    public void Auto_FallsBackToManaged_AndSaysWhy()
    {
        BlasSelection selection = BlasSelector.Create("auto", 1, true, environmentOverride: null, Missing);
        Assert.IsType<ManagedBlas>(selection.Blas);
        Assert.Equal("auto: MKL unavailable (libmkl_rt.so not found (tried libmkl_rt.so): install Debian's libmkl-rt " +
                     "from non-free); using managed", selection.Reason);
    }

    [Fact]
    public void ExplicitMkl_ThatCannotLoad_ThrowsWithReasonAndInstallHint()
    {
        var error = Assert.Throws<BlasUnavailableException>(() => BlasSelector.Create("MKL", 1, true, null, Missing));
        Assert.Contains("libmkl_rt.so not found", error.Message);
        Assert.Contains("apt-get install libmkl-rt", error.Message);
        Assert.Contains("non-free", error.Message);
    }

    [Fact]
    public void EnvironmentOverride_WinsAndIsReported()
    {
        BlasSelection selection = BlasSelector.Create("mkl", 1, true, environmentOverride: "Managed", Missing);
        Assert.IsType<ManagedBlas>(selection.Blas);
        Assert.StartsWith("DQNSTUDY_BLAS=managed overrides config 'mkl'", selection.Reason);
    }

    [Theory]
    [InlineData("cuda", null, "mode")]
    [InlineData("", null, "mode")]
    [InlineData("auto", "openblas", "DQNSTUDY_BLAS")]
    public void BadMode_ThrowsListingTheAllowedValues(string mode, string? environment, string argument)
    {
        var error = Assert.Throws<ArgumentException>(() => BlasSelector.Create(mode, 1, true, environment, Missing));
        Assert.Equal(argument, error.ParamName);
        Assert.Contains("'auto', 'mkl' or 'managed'", error.Message);
    }

    [SkippableFact]
    public void Auto_PicksMkl_WhenItLoads()
    {
        MklRequirement.SkipUnlessAvailable();
        BlasSelection selection = BlasSelector.Create("auto", 1, true, null, MklBlas.IsAvailable);
        var mkl = Assert.IsType<MklBlas>(selection.Blas);
        Assert.Equal($"auto: MKL {mkl.Version} loaded from {mkl.LibraryPath}", selection.Reason);
        Assert.Matches(@"^\d{4}\.", mkl.Version);
        Assert.Contains("threads 1 (sequential)", mkl.Describe());
        Assert.Contains("CBWR AUTO+STRICT", mkl.Describe());
    }
}

/// <summary>Touches the real process environment, so it must not run beside other tests.</summary>
[CollectionDefinition(nameof(EnvironmentVariableCollection), DisableParallelization = true)]
public sealed class EnvironmentVariableCollection;

[Collection(nameof(EnvironmentVariableCollection))]
public sealed class BlasSelectorEnvironmentTests
{
    [Fact]
    public void PublicCreate_ReadsDqnStudyBlas()
    {
        string? saved = Environment.GetEnvironmentVariable(BlasSelector.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(BlasSelector.EnvironmentVariable, "managed");
            BlasSelection selection = BlasSelector.Create("auto");
            Assert.IsType<ManagedBlas>(selection.Blas);
            Assert.StartsWith("DQNSTUDY_BLAS=managed overrides config 'auto'", selection.Reason);
        }
        finally
        {
            Environment.SetEnvironmentVariable(BlasSelector.EnvironmentVariable, saved);
        }
    }
}
