using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

public sealed class BootstrapStatisticsTests
{
    [Fact]
    public void Iqm_OfKnownSets()
    {
        Assert.Equal(4.5, BootstrapStatistics.Iqm([8, 1, 7, 2, 6, 3, 5, 4]), 12);   // drops 1,2 and 7,8
        Assert.Equal(3.0, BootstrapStatistics.Iqm([100, 1, 2, 3, 4]), 12);          // drops 1 and 100
        Assert.Equal(2.0, BootstrapStatistics.Iqm([1, 2, 3]), 12);                  // n < 4: plain mean
        Assert.Equal(2.5, BootstrapStatistics.Mean([1, 2, 3, 4]), 12);
    }

    [Fact]
    public void ProbabilityOfImprovement_AtItsExtremes()
    {
        double[] low = [1, 2, 3], high = [4, 5, 6];
        Assert.Equal(1.0, BootstrapStatistics.ProbabilityOfImprovement(high, low));
        Assert.Equal(0.0, BootstrapStatistics.ProbabilityOfImprovement(low, high));
        Assert.Equal(0.5, BootstrapStatistics.ProbabilityOfImprovement(low, low));
        Assert.Equal(0.5, BootstrapStatistics.ProbabilityOfImprovement([3, 3], [3, 3, 3]));
        var stats = new BootstrapStatistics(2000, seed: 1);
        Assert.Equal((1.0, 1.0), stats.ProbabilityOfImprovementInterval(high, low));
        Assert.Equal((0.0, 0.0), stats.ProbabilityOfImprovementInterval(low, high));
        // A partial overlap: 2 beats 1; 4 beats 1 and 3 and ties 4; 6 beats all 3 → (6 + 0.5) / 9.
        Assert.Equal(6.5 / 9, BootstrapStatistics.ProbabilityOfImprovement([2, 4, 6], [1, 3, 4]), 12);
    }

    [Fact]
    public void WelchPValue_MatchesClosedFormStudentT()
    {
        // y has zero variance, so the Welch df is n_x - 1 = 2; t = 2 / sqrt(1/3) = 2*sqrt(3).
        // Student t with 2 df: two-sided p = 1 - |t| / sqrt(2 + t^2) = 1 - sqrt(12/14).
        double p = BootstrapStatistics.WelchTTestPValue([1, 2, 3], [0, 0, 0]);
        Assert.Equal(1 - Math.Sqrt(12.0 / 14.0), p, 10);
        Assert.Equal(p, BootstrapStatistics.WelchTTestPValue([0, 0, 0], [1, 2, 3]), 12);

        // df = 1 (Cauchy): x = {0, 2}: mean 1, var 2, a = 1; t = 1; p = 1 - (2/pi) atan(1) = 0.5.
        Assert.Equal(0.5, BootstrapStatistics.WelchTTestPValue([0, 2], [0, 0]), 10);

        // Equal-size, equal-variance samples: df = 2n - 2 = 4. x = {1,2,3}, y = {3,4,5}: t = -2 / sqrt(2/3) = -sqrt(6).
        // Student t with 4 df: F(t) = 1/2 + (3/8) u (1 - u^2 / 12 ... ) with u = t / sqrt(1 + t^2/4) (Wikipedia).
        double t = Math.Sqrt(6);
        double k = 1 + t * t / 4;
        double cdfUpper = 0.5 + 3.0 / 8.0 * (t / Math.Sqrt(k)) * (1 - t * t / (12 * k));
        double expected = 2 * (1 - cdfUpper);
        Assert.Equal(expected, BootstrapStatistics.WelchTTestPValue([1, 2, 3], [3, 4, 5]), 10);
        Assert.Equal(1.0, BootstrapStatistics.WelchTTestPValue([5, 5], [5, 5]));
    }

    [Fact]
    public void Interval_CoversTheTruthAndNarrowsWithMoreSeeds()
    {
        const double truth = 10.0;
        var stats = new BootstrapStatistics(2000, seed: 7);
        var random = new Random(123);
        int covered = 0, experiments = 200;
        for (int e = 0; e < experiments; e++)
        {
            double[] sample = Normal(random, 10, truth);
            var (lo, hi) = stats.Interval(sample, x => BootstrapStatistics.Mean(x));
            covered += lo <= truth && truth <= hi ? 1 : 0;
        }
        // A 95% percentile bootstrap with 10 seeds under-covers a little (about 91%); far off means a bug.
        Assert.InRange(covered / (double)experiments, 0.85, 0.99);

        // Widths shrink like 1/sqrt(n): 80 seeds should give about a quarter of the width of 5 seeds.
        double WidthAt(int n)
        {
            var r = new Random(99);
            double total = 0;
            for (int e = 0; e < 50; e++)
            {
                var (lo, hi) = stats.Interval(Normal(r, n, truth), x => BootstrapStatistics.Mean(x));
                total += hi - lo;
            }
            return total / 50;
        }
        double w5 = WidthAt(5), w80 = WidthAt(80);
        Assert.True(w80 < 0.4 * w5, $"mean width with 80 seeds {w80}, with 5 seeds {w5}");
        Assert.True(w80 > 0.15 * w5, $"mean width with 80 seeds {w80}, with 5 seeds {w5}");
    }

    [Fact]
    public void Interval_IsSeededAndConstantDataGivesAPoint()
    {
        var stats = new BootstrapStatistics(2000, seed: 3);
        double[] x = [1, 5, 2, 8, 3];
        Assert.Equal(stats.Interval(x, v => BootstrapStatistics.Iqm(v)), stats.Interval(x, v => BootstrapStatistics.Iqm(v)));
        Assert.Equal((4.0, 4.0), stats.Interval([4, 4, 4], v => BootstrapStatistics.Mean(v)));
    }

    [Fact]
    public void BadInputNamesTheArgument()
    {
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => BootstrapStatistics.Mean([])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => BootstrapStatistics.WelchTTestPValue([1, 2], [1])).ParamName);
    }

    private static double[] Normal(Random random, int n, double mean)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            x[i] = mean + Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        return x;
    }
}
