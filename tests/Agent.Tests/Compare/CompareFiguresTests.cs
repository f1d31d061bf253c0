using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

public sealed class CompareFiguresTests
{
    [Fact]
    public void ADivergingPositiveSeriesGetsALogAxis() =>
        Assert.True(CompareFigures.WantsLogScale([[1e2, 3e3, 5e5, 4e7]]));

    [Fact]
    public void AnOrdinarySeriesKeepsALinearAxis() =>
        Assert.False(CompareFigures.WantsLogScale([[0.8, 12.5, 48.0], [1.1, 30.0]]));

    [Fact]
    public void TheSpanIsTakenOverAllSeriesTogether() =>
        Assert.True(CompareFigures.WantsLogScale([[1.0, 5.0], [2e4, 9e4]]));

    [Theory]
    [InlineData(-1.0)]   // negative: a log axis cannot show it
    [InlineData(0.0)]
    public void ZeroOrNegativeValuesKeepALinearAxis(double value) =>
        Assert.False(CompareFigures.WantsLogScale([[1e2, 4e7], [value]]));

    [Fact]
    public void MissingPointsDecideNothing()
    {
        Assert.True(CompareFigures.WantsLogScale([[double.NaN, 1e2, 4e7, double.NaN]]));
        Assert.False(CompareFigures.WantsLogScale([[double.NaN, double.NaN]]));
        Assert.False(CompareFigures.WantsLogScale([]));
    }

    [Fact]
    public void ThreeDecadesExactlyIsNotEnough()
    {
        Assert.False(CompareFigures.WantsLogScale([[1.0, 1000.0]]));
        Assert.True(CompareFigures.WantsLogScale([[1.0, 1001.0]]));
    }

    [Theory]
    [InlineData(0, "1")]
    [InlineData(3, "1,000")]
    [InlineData(-2, "0.01")]
    [InlineData(7, "1e7")]
    [InlineData(-3, "1e-3")]
    public void LogTicksAreLabelledWithTheValueNotTheExponent(double exponent, string label) =>
        Assert.Equal(label, CompareFigures.PowerOfTen(exponent));
}
