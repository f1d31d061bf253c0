namespace DqnStudy.Agent.Dqn;

/// <summary>Live counters of one seed, written by its trainer and read by the progress display
/// on another thread (plain fields: a torn read only shows a slightly stale number).</summary>
public sealed class TrainingProgress(int seed, long totalSteps)
{
    public int Seed { get; } = seed;
    public long TotalSteps { get; } = totalSteps;
    public volatile string State = "starting";
    public long Steps;
    public long Episodes;
    public long Updates;
    public double Last100Return = double.NaN;
    public double Epsilon = 1;
    public double Loss = double.NaN;
    public double StepsPerSecond;
    public long Evaluations;   // completed greedy evaluations
    public double LastEvalReturn = double.NaN;
    public double BestEvalReturn = double.NaN;
}
