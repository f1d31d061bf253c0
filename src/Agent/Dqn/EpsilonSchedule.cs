using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Dqn;

/// <summary>cleanrl's linear_schedule: epsilon falls linearly from start to end over `duration`
/// env steps, then stays at end. With a `delay` it holds start for the first `delay` steps and
/// falls from there: MinAtar's dqn.py acts uniformly at random until replay start, then decays ε
/// over the next 100,000 frames.</summary>
public sealed class EpsilonSchedule(double start, double end, long duration, long delay = 0)
{
    public double Start { get; } = start;
    public double End { get; } = end;
    public long Duration { get; } = duration;
    public long Delay { get; } = delay;

    /// <summary>The config's schedule: over exploration_steps (or exploration_fraction × total_steps), from step 0 or,
    /// with exploration_after_learning_starts, from learning_starts.</summary>
    public static EpsilonSchedule For(DqnConfig config)
    {
        var dqn = config.Algorithm;
        long duration = dqn.ExplorationSteps > 0 ? dqn.ExplorationSteps : (long)(dqn.ExplorationFraction * config.Training.TotalSteps);
        return new EpsilonSchedule(dqn.ExplorationInitialEps, dqn.ExplorationFinalEps, duration,
                                   dqn.ExplorationAfterLearningStarts ? dqn.LearningStarts : 0);
    }

    public double At(long step)
    {
        if (step < Delay) return Start;
        step -= Delay;
        if (Duration <= 0) return End;
        if (step >= Duration) return End;
        return Start + (End - Start) * step / Duration;
    }
}
