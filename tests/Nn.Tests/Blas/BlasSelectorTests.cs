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
        BlasSelection selection = BlasSelector.Create("auto", 1, true, environmentOverride: null, Missing, NoTrial);
        Assert.IsType<ManagedBlas>(selection.Blas);
        Assert.Equal("auto: MKL unavailable (libmkl_rt.so not found (tried libmkl_rt.so): install Debian's libmkl-rt " +
                     "from non-free); using managed", selection.Reason);
    }

    [Fact]
    public void ExplicitMkl_ThatCannotLoad_ThrowsWithReasonAndInstallHint()
    {
        var error = Assert.Throws<BlasUnavailableException>(() => BlasSelector.Create("MKL", 1, true, null, Missing, NoTrial));
        Assert.Contains("libmkl_rt.so not found", error.Message);
        Assert.Contains("apt-get install libmkl-rt", error.Message);
        Assert.Contains("non-free", error.Message);
    }

    [Fact]
    public void EnvironmentOverride_WinsAndIsReported()
    {
        BlasSelection selection = BlasSelector.Create("mkl", 1, true, environmentOverride: "Managed", Missing, NoTrial);
        Assert.IsType<ManagedBlas>(selection.Blas);
        Assert.StartsWith("DQNSTUDY_BLAS=managed overrides config 'mkl'", selection.Reason);
    }

    [Theory]
    [InlineData("cuda", null, "mode")]
    [InlineData("", null, "mode")]
    [InlineData("auto", "openblas", "DQNSTUDY_BLAS")]
    public void BadMode_ThrowsListingTheAllowedValues(string mode, string? environment, string argument)
    {
        var error = Assert.Throws<ArgumentException>(() => BlasSelector.Create(mode, 1, true, environment, Missing, NoTrial));
        Assert.Equal(argument, error.ParamName);
        Assert.Contains("'auto', 'mkl' or 'managed'", error.Message);
    }

    private static (double, double) NoTrial(IBlas mkl, IBlas managed) => throw new InvalidOperationException("no trial expected");

    [SkippableFact]
    public void Auto_PicksMkl_WhenTheTrialFindsItFaster()
    {
        MklRequirement.SkipUnlessAvailable();
        BlasSelection selection = BlasSelector.Create("auto", 1, true, null, MklBlas.IsAvailable, (_, _) => (100.0, 150.0));
        var mkl = Assert.IsType<MklBlas>(selection.Blas);
        Assert.StartsWith($"auto: MKL {mkl.Version} from {mkl.LibraryPath}, 1.50× faster than managed here (100 vs 150 µs", selection.Reason);
        Assert.Matches(@"^\d{4}\.", mkl.Version);
        Assert.Contains("threads 1 (sequential)", mkl.Describe());
        Assert.Contains("CBWR AUTO+STRICT", mkl.Describe());
    }
}

public sealed class BlasSelectorTrialTests
{
    [SkippableFact]
    public void Auto_PicksManaged_WhenTheTrialFindsItFaster_AndSaysByHowMuch()
    {
        MklRequirement.SkipUnlessAvailable();
        IBlas? timedMkl = null, timedManaged = null;
        BlasSelection selection = BlasSelector.Create("auto", 1, true, null, MklBlas.IsAvailable, (mkl, managed) =>
        {
            (timedMkl, timedManaged) = (mkl, managed);
            return (200.0, 80.0);
        });
        Assert.IsType<ManagedBlas>(selection.Blas);
        Assert.IsType<MklBlas>(timedMkl);
        Assert.IsType<ManagedBlas>(timedManaged);
        Assert.StartsWith("auto: managed, 2.50× faster than MKL ", selection.Reason);
        Assert.Contains("(80 vs 200 µs on a DQN update's GEMMs", selection.Reason);
    }

    [SkippableFact]
    public void RealTrial_TimesBothProvidersOnTheUpdateShapes()
    {
        MklRequirement.SkipUnlessAvailable();
        (double mkl, double managed) = BlasTrial.Race(MklBlas.Create(), new ManagedBlas(), BlasTrial.CleanrlUpdate, rounds: 2, roundMilliseconds: 1);
        Assert.True(mkl > 0 && managed > 0 && double.IsFinite(mkl) && double.IsFinite(managed), $"mkl {mkl} µs, managed {managed} µs");
    }

    [Fact]
    public void DenseUpdate_ListsTheElevenGemmsOfTheCleanrlUpdate()
    {
        GemmShape[] shapes = BlasTrial.DenseUpdate(4, [120, 84], 2, 128);
        Assert.Equal(
            ["128×120×4", "128×84×120", "128×2×84", "128×120×4", "128×84×120", "128×2×84",
             "2×84×128", "128×84×2", "84×120×128", "128×120×84", "120×4×128"],
            shapes.Select(s => s.ToString()));
        Assert.Equal(10_862_592, shapes.Sum(s => s.Flops));
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
