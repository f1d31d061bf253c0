using MathNet.Numerics.Distributions;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// The statistics of Agarwal et al. 2021 ("Deep RL at the Edge of the Statistical Precipice", rliable) for one task:
/// mean, interquartile mean, percentile bootstrap confidence intervals, probability of improvement, plus Welch's
/// t-test. The bootstrap is stratified by group: each group's seeds are resampled with replacement on their own
/// (with a single task that is exactly rliable's stratified bootstrap). Every interval starts from a fresh
/// <see cref="Random"/> with the same seed, so a result does not depend on the order of calls.
/// </summary>
public sealed class BootstrapStatistics
{
    public const int MinimumSeedsForClaim = 3;

    public BootstrapStatistics(int resamples = 2000, int seed = 0, double level = 0.95)
    {
        Nn.Shapes.RequirePositive(resamples, nameof(resamples));
        if (level is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "level must be in (0, 1).");
        }
        Resamples = resamples;
        Seed = seed;
        Level = level;
    }

    public int Resamples { get; }

    public int Seed { get; }

    public double Level { get; }

    public static double Mean(ReadOnlySpan<double> x)
    {
        RequireNonEmpty(x, nameof(x));
        double sum = 0;
        foreach (double v in x)
        {
            sum += v;
        }
        return sum / x.Length;
    }

    /// <summary>
    /// Interquartile mean: the mean after dropping floor(n/4) values from each end of the sorted sample, as
    /// <c>scipy.stats.trim_mean(x, 0.25)</c> (rliable's IQM). Below 4 values nothing is dropped.
    /// </summary>
    public static double Iqm(ReadOnlySpan<double> x)
    {
        RequireNonEmpty(x, nameof(x));
        double[] sorted = x.ToArray();
        Array.Sort(sorted);
        int cut = sorted.Length / 4;
        return Mean(sorted.AsSpan(cut, sorted.Length - 2 * cut));
    }

    /// <summary>P(X > Y) + ½·P(X = Y) over all pairs of one value of x and one of y (rliable's probability of improvement).</summary>
    public static double ProbabilityOfImprovement(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        RequireNonEmpty(x, nameof(x));
        RequireNonEmpty(y, nameof(y));
        double wins = 0;
        foreach (double a in x)
        {
            foreach (double b in y)
            {
                wins += a > b ? 1 : a == b ? 0.5 : 0;
            }
        }
        return wins / ((double)x.Length * y.Length);
    }

    /// <summary>
    /// Two-sided Welch t-test p-value for equal means (unequal variances, Welch–Satterthwaite degrees of freedom,
    /// Student t CDF from Math.NET). Needs at least 2 values per sample; with zero variance in both the answer is
    /// 1 for equal means and 0 otherwise.
    /// </summary>
    public static double WelchTTestPValue(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length < 2 || y.Length < 2)
        {
            throw new ArgumentException($"Welch's test needs 2 or more values per sample; x has {x.Length}, y has {y.Length}.",
                                       x.Length < 2 ? nameof(x) : nameof(y));
        }
        double mx = Mean(x), my = Mean(y);
        double a = Variance(x, mx) / x.Length;
        double b = Variance(y, my) / y.Length;
        if (a + b == 0)
        {
            return mx == my ? 1.0 : 0.0;
        }
        double t = (mx - my) / Math.Sqrt(a + b);
        double df = (a + b) * (a + b) / (a * a / (x.Length - 1) + b * b / (y.Length - 1));
        return 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
    }

    /// <summary>Percentile bootstrap interval of a one-sample statistic (seeds resampled with replacement).</summary>
    public (double Lower, double Upper) Interval(ReadOnlySpan<double> x, Func<double[], double> statistic)
    {
        RequireNonEmpty(x, nameof(x));
        ArgumentNullException.ThrowIfNull(statistic);
        var random = new Random(Seed);
        double[] sample = new double[x.Length];
        double[] estimates = new double[Resamples];
        for (int r = 0; r < Resamples; r++)
        {
            Resample(x, sample, random);
            estimates[r] = statistic(sample);
        }
        return Percentiles(estimates);
    }

    /// <summary>Bootstrap interval of the probability of improvement: each group resampled on its own (stratified).</summary>
    public (double Lower, double Upper) ProbabilityOfImprovementInterval(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        RequireNonEmpty(x, nameof(x));
        RequireNonEmpty(y, nameof(y));
        var random = new Random(Seed);
        double[] sx = new double[x.Length];
        double[] sy = new double[y.Length];
        double[] estimates = new double[Resamples];
        for (int r = 0; r < Resamples; r++)
        {
            Resample(x, sx, random);
            Resample(y, sy, random);
            estimates[r] = ProbabilityOfImprovement(sx, sy);
        }
        return Percentiles(estimates);
    }

    /// <summary>Linear-interpolated quantile of sorted data (numpy's default method).</summary>
    public static double Quantile(ReadOnlySpan<double> sorted, double q)
    {
        RequireNonEmpty(sorted, nameof(sorted));
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private (double, double) Percentiles(double[] estimates)
    {
        Array.Sort(estimates);
        double tail = (1 - Level) / 2;
        return (Quantile(estimates, tail), Quantile(estimates, 1 - tail));
    }

    private static void Resample(ReadOnlySpan<double> source, Span<double> destination, Random random)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = source[random.Next(source.Length)];
        }
    }

    private static double Variance(ReadOnlySpan<double> x, double mean)
    {
        double sum = 0;
        foreach (double v in x)
        {
            sum += (v - mean) * (v - mean);
        }
        return sum / (x.Length - 1);
    }

    private static void RequireNonEmpty(ReadOnlySpan<double> x, string name)
    {
        if (x.IsEmpty)
        {
            throw new ArgumentException($"{name} is empty but at least 1 value is needed.", name);
        }
    }
}
