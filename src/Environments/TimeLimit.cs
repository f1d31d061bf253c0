namespace DqnStudy.Environments;

/// <summary>Gymnasium's TimeLimit: <c>Truncated</c> becomes true on the step where the steps since Reset
/// reach <see cref="MaxEpisodeSteps"/>, independently of (and possibly together with) <c>Terminated</c>.</summary>
public sealed class TimeLimit : Wrapper
{
    private bool _truncated;

    public TimeLimit(IEnvironment inner, int maxEpisodeSteps)
        : base(inner)
    {
        if (maxEpisodeSteps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, $"maxEpisodeSteps must be positive but is {maxEpisodeSteps}.");
        }

        MaxEpisodeSteps = maxEpisodeSteps;
    }

    public int MaxEpisodeSteps { get; }

    /// <summary>Steps since the last Reset. Settable by tests that start mid-episode from a recorded state.</summary>
    public int ElapsedSteps { get; internal set; }

    public override ReadOnlySpan<float> Reset(int? seed = null, ResetOptions? options = null)
    {
        ElapsedSteps = 0;
        _truncated = false;
        return Inner.Reset(seed, options);
    }

    public override StepResult Step(int action)
    {
        if (_truncated)
        {
            throw new InvalidOperationException(
                $"{Id}: Step was called after the episode was truncated at the time limit ({MaxEpisodeSteps} steps); call Reset first.");
        }

        StepResult result = Inner.Step(action);
        ElapsedSteps++;
        if (ElapsedSteps < MaxEpisodeSteps)
        {
            return result;
        }

        _truncated = true;
        return new StepResult(result.Observation, result.Reward, result.Terminated, truncated: true);
    }
}
