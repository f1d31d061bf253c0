using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Compare;

/// <summary>Everything a comparison produced; the report and the console table only format it.</summary>
public sealed record ComparisonResult(
    string CommandLine,
    string EnvId,
    string Metric,
    double? Threshold,
    int Resamples,
    int BootstrapSeed,
    IReadOnlyList<RunGroup> Groups,
    Alignment Alignment,
    IReadOnlyList<GroupStatistics> Statistics,
    IReadOnlyList<PairwiseComparison> Pairs,
    IReadOnlyList<ConfigDifference> ConfigDifferences,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<string> Problems);
