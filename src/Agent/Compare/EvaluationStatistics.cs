using DqnStudy.Agent.Runs;
namespace DqnStudy.Agent.Compare;

/// <summary>
/// A group's greedy evaluations (eval.csv) seed by seed: the final one (the last row: what the policy training ended
/// with is worth) and the best one (SB3's EvalCallback keeps that network as best_model), each as a mean over seeds
/// with its bootstrap interval, and how many seeds' final evaluation reached the threshold.
/// </summary>
public sealed record EvaluationStatistics(double[] Finals, double[] Bests, Estimate FinalMean, Estimate BestMean, int? FinalReached)
{
    /// <summary>Null when no seed of the group has an eval.csv with a return_mean column and a row.</summary>
    public static EvaluationStatistics? Of(IReadOnlyList<SeedRun> seeds, double? threshold, BootstrapStatistics bootstrap)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var columns = seeds.Where(s => s.Eval is { } e && e.Has(RunFolder.EvalReturnMean)).Select(s => s.Eval!.Column(RunFolder.EvalReturnMean))
                           .Where(c => c.Length > 0).ToArray();
        if (columns.Length == 0) return null;
        double[] finals = columns.Select(c => c[^1]).ToArray();
        double[] bests = columns.Select(c => c.Max()).ToArray();
        bool claim = columns.Length >= BootstrapStatistics.MinimumSeedsForClaim;
        return new EvaluationStatistics(finals, bests,
            ComparisonStatistics.WithInterval(finals, x => BootstrapStatistics.Mean(x), claim, bootstrap),
            ComparisonStatistics.WithInterval(bests, x => BootstrapStatistics.Mean(x), claim, bootstrap),
            threshold is { } t ? finals.Count(f => f >= t) : null);
    }
}
