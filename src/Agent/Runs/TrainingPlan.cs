using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Runs;

/// <summary>What `train` was asked to do, after the command line and the config are resolved.</summary>
public sealed record TrainingPlan(
    DqnConfig Config,
    IReadOnlyList<int> Seeds,
    string OutRoot,
    string Name,
    bool Resume,
    int Parallel,
    string BlasMode)
{
    public string GroupFolder => RunPaths.Group(OutRoot, Name);
    public string SeedFolder(int seed) => RunPaths.Seed(OutRoot, Name, seed);
}
