using DqnStudy.Nn.Diagnostics;

namespace DqnStudy.Nn.Tests.Diagnostics;

public sealed class SpectralProbeTests
{
    [Fact]
    public void DiagonalMatrix_RadiusIsLargestAbsoluteEntry_NormToo()
    {
        float[] m = [0.5f, 0, 0, 0, -1.25f, 0, 0, 0, 0.75f];
        Assert.Equal(1.25, SpectralProbe.SpectralRadius(m, 3), 6);
        Assert.Equal(1.25, SpectralProbe.SpectralNorm(m, 3, 3), 6);
    }

    [Fact]
    public void ScaledRotation_HasComplexEigenvaluesOfModulusScale()
    {
        // s·[[cos θ, −sin θ], [sin θ, cos θ]]: eigenvalues s·e^{±iθ}, all singular values s.
        double theta = 0.7, s = 1.1;
        float[] m = [(float)(s * Math.Cos(theta)), (float)(-s * Math.Sin(theta)), (float)(s * Math.Sin(theta)), (float)(s * Math.Cos(theta))];
        Assert.Equal(s, SpectralProbe.SpectralRadius(m, 2), 6);
        Assert.Equal(s, SpectralProbe.SpectralNorm(m, 2, 2), 6);
    }

    [Fact]
    public void NilpotentShear_RadiusZeroButNormNot()
    {
        // [[0, 2], [0, 0]]: both eigenvalues 0, yet it maps e2 to 2·e1: radius and norm part ways (non-normal matrix).
        float[] m = [0, 2, 0, 0];
        Assert.Equal(0.0, SpectralProbe.SpectralRadius(m, 2), 6);
        Assert.Equal(2.0, SpectralProbe.SpectralNorm(m, 2, 2), 6);
        Assert.Throws<ArgumentException>("squareMatrix", () => SpectralProbe.ScaleToSpectralRadius(m, 2, 1.0));
    }

    [Fact]
    public void SpectralNorm_OfRectangularMatrix()
    {
        // Rows (3, 0, 0) and (0, 4, 0): singular values 4 and 3.
        float[] m = [3, 0, 0, 0, 4, 0];
        Assert.Equal(4.0, SpectralProbe.SpectralNorm(m, 2, 3), 6);
    }

    [Theory]
    [InlineData(0.9)]
    [InlineData(1.0)]
    [InlineData(1.1)]
    public void ScaleToSpectralRadius_HitsTheTarget(double target)
    {
        var rng = new Random(5);
        var m = new float[16 * 16];
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        SpectralProbe.ScaleToSpectralRadius(m, 16, target);
        Assert.Equal(target, SpectralProbe.SpectralRadius(m, 16), 5);
    }

    [Fact]
    public void WrongLength_NamesTheArgumentAndBothSizes()
    {
        var e = Assert.Throws<ArgumentException>("squareMatrix", () => SpectralProbe.SpectralRadius(new float[8], 3));
        Assert.Contains("8", e.Message);
        Assert.Contains("9", e.Message);
        Assert.Throws<ArgumentException>("matrix", () => SpectralProbe.SpectralNorm(new float[5], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>("targetRadius", () => SpectralProbe.ScaleToSpectralRadius(new float[4], 2, -1));
    }
}
