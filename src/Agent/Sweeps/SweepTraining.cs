using DqnStudy.Agent.Runs;

namespace DqnStudy.Agent.Sweeps;

/// <summary>
/// The one place a sweep reaches training: the same path as `train` (folder checks, locks, host, Ctrl+C and
/// SIGTERM -> checkpoint) and its exit codes. Everything else in Sweeps plans, writes scripts or reads folders.
/// </summary>
internal static class SweepTraining
{
    public const int Ok = TrainingRunner.ExitOk;
    public const int Failed = TrainingRunner.ExitFailed;
    public const int BadInput = TrainingRunner.ExitBadInput;
    public const int Interrupted = TrainingRunner.ExitInterrupted;

    public static Task<int> RunAsync(TrainingPlan plan) => Cli.TrainCommand.RunPlanAsync(plan);
}
