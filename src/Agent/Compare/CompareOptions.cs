namespace DqnStudy.Agent.Compare;

/// <summary>What `compare` was asked to do. <see cref="Out"/> null = a new folder under runs/compare/;
/// <see cref="Export"/> = a folder for the data exports (<see cref="CompareExport"/>); <see cref="Force"/> lets an
/// existing comparison folder be written again.</summary>
public sealed record CompareOptions(
    IReadOnlyList<string> Runs,
    IReadOnlyList<string> Labels,
    string? Out,
    string Metric = CurveAligner.TrainReturn,
    double? Threshold = null,
    int Resamples = 2000,
    int BootstrapSeed = 0,
    string CommandLine = "",
    AlignMode Align = AlignMode.Shortest,
    string? Export = null,
    bool Force = false);
