using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Tests.Blas;

/// <summary>A too-short buffer throws before any provider (least of all MKL) touches memory,
/// and the message names the argument and both sizes.</summary>
public sealed class BlasArgumentTests
{
    private static void AssertNames(Action call, string argument, int have, int need)
    {
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(argument, error.ParamName);
        Assert.Contains($"{argument} has {have} elements but {need} are needed", error.Message);
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void Gemm_ThrowsForTooShortA_B_C(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        // op(a)(3,4), op(b)(4,5), c(3,5)
        foreach (Trans ta in new[] { Trans.No, Trans.Yes })
        {
            foreach (Trans tb in new[] { Trans.No, Trans.Yes })
            {
                AssertNames(() => blas.Gemm(ta, tb, 3, 5, 4, 1f, new float[11], new float[20], 0f, new float[15]), "a", 11, 12);
                AssertNames(() => blas.Gemm(ta, tb, 3, 5, 4, 1f, new float[12], new float[19], 0f, new float[15]), "b", 19, 20);
                AssertNames(() => blas.Gemm(ta, tb, 3, 5, 4, 1f, new float[12], new float[20], 0f, new float[14]), "c", 14, 15);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void Gemm_ThrowsForNegativeDimensionOrBadTrans(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => blas.Gemm(Trans.No, Trans.No, -1, 1, 1, 1f, [], [1f], 0f, []));
        Assert.Equal("m", error.ParamName);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => blas.Gemm((Trans)113, Trans.No, 1, 1, 1, 1f, [1f], [1f], 0f, [1f]));
        Assert.Equal("transA", error.ParamName);
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void Gemv_ThrowsForTooShortA_X_Y(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        // a(3,4): No takes x(4) → y(3); Yes takes x(3) → y(4)
        AssertNames(() => blas.Gemv(Trans.No, 3, 4, 1f, new float[11], new float[4], 0f, new float[3]), "a", 11, 12);
        AssertNames(() => blas.Gemv(Trans.No, 3, 4, 1f, new float[12], new float[3], 0f, new float[3]), "x", 3, 4);
        AssertNames(() => blas.Gemv(Trans.No, 3, 4, 1f, new float[12], new float[4], 0f, new float[2]), "y", 2, 3);
        AssertNames(() => blas.Gemv(Trans.Yes, 3, 4, 1f, new float[12], new float[2], 0f, new float[4]), "x", 2, 3);
        AssertNames(() => blas.Gemv(Trans.Yes, 3, 4, 1f, new float[12], new float[3], 0f, new float[3]), "y", 3, 4);
    }

    [SkippableTheory]
    [MemberData(nameof(TestProviders.Names), MemberType = typeof(TestProviders))]
    public void AxpyAndDot_ThrowForTooShortY(string provider)
    {
        IBlas blas = TestProviders.Get(provider);
        AssertNames(() => blas.Axpy(1f, new float[5], new float[4]), "y", 4, 5);
        AssertNames(() => blas.Dot(new float[5], new float[4]), "y", 4, 5);
    }
}
