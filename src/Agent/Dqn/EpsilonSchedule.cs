namespace DqnStudy.Agent.Dqn;

/// <summary>cleanrl's linear_schedule: epsilon falls linearly from start to end over `duration`
/// env steps, then stays at end.</summary>
public sealed class EpsilonSchedule(double start, double end, long duration)
{
    public double Start { get; } = start;
    public double End { get; } = end;
    public long Duration { get; } = duration;

    public double At(long step)
    {
        if (Duration <= 0) return End;
        if (step >= Duration) return End;
        return Start + (End - Start) * step / Duration;
    }
}
