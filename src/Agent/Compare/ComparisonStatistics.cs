using DqnStudy.Agent.Runs;
namespace DqnStudy.Agent.Compare;

/// <summary>A point estimate with its bootstrap interval; no interval when there are too few seeds for a claim.</summary>
public sealed record Estimate(double Value, double? Lower, double? Upper)
{
    public bool HasInterval => Lower is not null && Upper is not null;
}

/// <summary>Steps to threshold: median over the seeds that reached it (null when none did), and how many did.</summary>
public sealed record ThresholdResult(double Threshold, double? MedianSteps, int Reached, int Seeds);

/// <summary>A progress.csv share over a group's seeds: its value in the last logged interval and its mean over all
/// intervals, each averaged over the seeds.</summary>
public sealed record ShareSummary(double Last, double Mean);

/// <summary>One row of the comparison table.</summary>
public sealed record GroupStatistics(
    string Label, int Seeds, double[] Finals, Estimate FinalMean, Estimate FinalIqm, Estimate Auc,
    ThresholdResult? Threshold, ShareSummary? Zeroed, ShareSummary? Clipped, double? StepsPerSecond)
{
    /// <summary>Final and best greedy evaluations per seed (eval.csv), or null when the runs have none.</summary>
    public EvaluationStatistics? Evaluations { get; init; }
}

/// <summary>How group A compares with group B: P(A > B) with its interval, the mean difference and Welch's p.</summary>
public sealed record PairwiseComparison(string A, string B, Estimate ProbabilityOfImprovement, double MeanDifference, double? WelchP)
{
    public bool TooFewSeeds => !ProbabilityOfImprovement.HasInterval;
}

/// <summary>
/// Per-group and pairwise statistics over an <see cref="Alignment"/>.
/// "Final" performance of a seed = the mean of its aligned curve over the last 10% of the grid (at least one point),
/// so one noisy last point does not decide. AUC = the trapezoid area under the aligned curve divided by the grid's
/// step range, i.e. the average value over training (same units as the metric). Intervals (95%, percentile
/// bootstrap over seeds) and Welch p-values are only given with 3 or more seeds per group.
/// </summary>
public static class ComparisonStatistics
{
    public const double FinalFraction = 0.10;

    public static int FinalPoints(int gridLength) => Math.Max(1, (int)Math.Ceiling(FinalFraction * gridLength));

    public static IReadOnlyList<GroupStatistics> PerGroup(Alignment alignment, double? threshold, BootstrapStatistics bootstrap)
    {
        ArgumentNullException.ThrowIfNull(alignment);
        ArgumentNullException.ThrowIfNull(bootstrap);
        var rows = new List<GroupStatistics>();
        foreach (AlignedGroup group in alignment.Groups)
        {
            double[] grid = group.Grid;
            double[] finals = group.Curves.Select(c => Final(c)).ToArray();
            double[] aucs = group.Curves.Select(c => NormalisedAuc(grid, c)).ToArray();
            bool claim = finals.Length >= BootstrapStatistics.MinimumSeedsForClaim;
            rows.Add(new GroupStatistics(
                group.Group.Label, finals.Length, finals,
                WithInterval(finals, x => BootstrapStatistics.Mean(x), claim, bootstrap),
                WithInterval(finals, x => BootstrapStatistics.Iqm(x), claim, bootstrap),
                WithInterval(aucs, x => BootstrapStatistics.Mean(x), claim, bootstrap),
                threshold is null ? null : StepsToThreshold(group.Seeds, alignment.Metric, grid[^1], threshold.Value),
                Share(group.Seeds, RunFolder.ZeroedShare),
                Share(group.Seeds, RunFolder.ClippedShare),
                StepsPerSecond(group.Seeds))
            {
                Evaluations = EvaluationStatistics.Of(group.Seeds, threshold, bootstrap),
            });
        }
        return rows;
    }

    public static IReadOnlyList<PairwiseComparison> Pairwise(IReadOnlyList<GroupStatistics> groups, BootstrapStatistics bootstrap)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(bootstrap);
        var pairs = new List<PairwiseComparison>();
        for (int i = 0; i < groups.Count; i++)
        {
            for (int j = i + 1; j < groups.Count; j++)
            {
                double[] a = groups[i].Finals, b = groups[j].Finals;
                bool claim = a.Length >= BootstrapStatistics.MinimumSeedsForClaim && b.Length >= BootstrapStatistics.MinimumSeedsForClaim;
                double poi = BootstrapStatistics.ProbabilityOfImprovement(a, b);
                Estimate estimate = new(poi, null, null);
                if (claim)
                {
                    var (lower, upper) = bootstrap.ProbabilityOfImprovementInterval(a, b);
                    estimate = new Estimate(poi, lower, upper);
                }
                pairs.Add(new PairwiseComparison(groups[i].Label, groups[j].Label, estimate,
                    BootstrapStatistics.Mean(a) - BootstrapStatistics.Mean(b),
                    claim ? BootstrapStatistics.WelchTTestPValue(a, b) : null));
            }
        }
        return pairs;
    }

    /// <summary>Mean of the last <see cref="FinalFraction"/> of the points.</summary>
    public static double Final(ReadOnlySpan<double> curve) => BootstrapStatistics.Mean(curve[^FinalPoints(curve.Length)..]);

    /// <summary>Trapezoid area under the curve divided by the step range (the curve's average value).</summary>
    public static double NormalisedAuc(ReadOnlySpan<double> grid, ReadOnlySpan<double> curve)
    {
        if (grid.Length != curve.Length)
        {
            throw new ArgumentException($"grid has {grid.Length} points but curve has {curve.Length}.", nameof(curve));
        }
        if (grid.Length == 1)
        {
            return curve[0];
        }
        double area = 0;
        for (int i = 1; i < grid.Length; i++)
        {
            area += 0.5 * (curve[i] + curve[i - 1]) * (grid[i] - grid[i - 1]);
        }
        return area / (grid[^1] - grid[0]);
    }

    /// <summary>
    /// Per seed, the first recorded step (episode end for train returns, eval step for eval returns) at which the
    /// series reaches the threshold, up to the grid's end so that every seed had the same budget; not the grid point,
    /// whose spacing would round it up.
    /// </summary>
    public static ThresholdResult StepsToThreshold(IReadOnlyList<SeedRun> seeds, string metric, double lastStep, double threshold)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var reached = new List<double>();
        foreach (SeedRun seed in seeds)
        {
            if (CurveAligner.Series(seed, metric, out _) is not { } series)
            {
                continue;
            }
            int i = Array.FindIndex(series.Values, v => v >= threshold);
            if (i >= 0 && series.Steps[i] <= lastStep)
            {
                reached.Add(series.Steps[i]);
            }
        }
        reached.Sort();
        double? median = reached.Count == 0 ? null : BootstrapStatistics.Quantile(reached.ToArray(), 0.5);
        return new ThresholdResult(threshold, median, reached.Count, seeds.Count);
    }

    /// <summary>Per grid point, the mean over seeds.</summary>
    public static double[] MeanCurve(double[][] curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var mean = new double[curves[0].Length];
        foreach (double[] curve in curves)
        {
            for (int p = 0; p < mean.Length; p++)
            {
                mean[p] += curve[p] / curves.Length;
            }
        }
        return mean;
    }

    /// <summary>Per grid point: the mean over seeds and (3+ seeds) its bootstrap interval, for the figures.</summary>
    public static (double[] Mean, double[]? Lower, double[]? Upper) Band(double[][] curves, BootstrapStatistics bootstrap)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(bootstrap);
        int points = curves[0].Length;
        var mean = new double[points];
        bool claim = curves.Length >= BootstrapStatistics.MinimumSeedsForClaim;
        double[]? lower = claim ? new double[points] : null, upper = claim ? new double[points] : null;
        var column = new double[curves.Length];
        for (int p = 0; p < points; p++)
        {
            for (int s = 0; s < curves.Length; s++)
            {
                column[s] = curves[s][p];
            }
            mean[p] = BootstrapStatistics.Mean(column);
            if (claim)
            {
                (lower![p], upper![p]) = bootstrap.Interval(column, x => BootstrapStatistics.Mean(x));
            }
        }
        return (mean, lower, upper);
    }

    internal static Estimate WithInterval(double[] values, Func<double[], double> statistic, bool claim, BootstrapStatistics bootstrap)
    {
        double value = statistic(values);
        if (!claim)
        {
            return new Estimate(value, null, null);
        }
        var (lower, upper) = bootstrap.Interval(values, statistic);
        return new Estimate(value, lower, upper);
    }

    /// <summary>Per seed the last recorded value and the mean of all recorded values of a progress.csv column,
    /// each averaged over the seeds that have it; null when none does.</summary>
    private static ShareSummary? Share(IReadOnlyList<SeedRun> seeds, string column)
    {
        var last = new List<double>();
        var mean = new List<double>();
        foreach (SeedRun seed in seeds)
        {
            if (seed.Progress is { } progress && progress.Has(column))
            {
                double[] values = progress.Column(column).Where(v => !double.IsNaN(v)).ToArray();
                if (values.Length > 0)
                {
                    last.Add(values[^1]);
                    mean.Add(values.Average());
                }
            }
        }
        return last.Count == 0 ? null : new ShareSummary(last.Average(), mean.Average());
    }

    private static double? StepsPerSecond(IReadOnlyList<SeedRun> seeds)
    {
        var perSeed = new List<double>();
        foreach (SeedRun seed in seeds)
        {
            if (seed.Summary?.StepsPerSecond is { } sps)
            {
                perSeed.Add(sps);
            }
            else if (seed.Progress is { } progress && progress.Has("sps"))
            {
                double[] values = progress.Column("sps").Where(v => !double.IsNaN(v)).ToArray();
                if (values.Length > 0)
                {
                    perSeed.Add(values[^1]);
                }
            }
        }
        return perSeed.Count == 0 ? null : perSeed.Average();
    }
}
