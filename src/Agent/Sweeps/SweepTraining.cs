using DqnStudy.Agent.Hosting;
using DqnStudy.Agent.Runs;

namespace DqnStudy.Agent.Sweeps;

/// <summary>
/// The one place a sweep reaches training: the same path as `train` (folder checks, locks, host, Ctrl+C and
/// SIGTERM -> checkpoint) and its exit codes. Everything else in Sweeps plans, writes scripts or reads folders.
/// </summary>
internal static class SweepTraining
{
    public const int Ok = ExitCodes.Ok;
    public const int Failed = ExitCodes.Failed;
    public const int BadInput = ExitCodes.BadInput;
    public const int Interrupted = ExitCodes.Interrupted;

    public static Task<int> RunAsync(TrainingPlan plan) => TrainingHost.RunPlanAsync(plan);
}
