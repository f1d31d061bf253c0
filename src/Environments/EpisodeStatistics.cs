using System.Diagnostics;

namespace DqnStudy.Environments;

/// <summary>Episode return, length and wall time (what SB3's monitor.csv records), without allocating.
/// Wrap it outermost, over the TimeLimit, so truncated episodes end here too.</summary>
public sealed class EpisodeStatistics : Wrapper
{
    private readonly long _createdTimestamp = Stopwatch.GetTimestamp();
    private long _episodeStartTimestamp;
    private double _return;
    private int _length;

    public EpisodeStatistics(IEnvironment inner)
        : base(inner)
    {
    }

    /// <summary>True right after the Step that terminated or truncated; false again after the next Reset or Step.</summary>
    public bool EpisodeEnded { get; private set; }

    public double LastEpisodeReturn { get; private set; }

    public int LastEpisodeLength { get; private set; }

    /// <summary>Wall time from the episode's Reset to its last Step.</summary>
    public double LastEpisodeSeconds { get; private set; }

    /// <summary>Seconds from this wrapper's construction to the end of the last episode (monitor.csv's <c>t</c>).</summary>
    public double LastEpisodeEndSeconds { get; private set; }

    public int EpisodeCount { get; private set; }

    /// <summary>Return so far in the running episode.</summary>
    public double CurrentReturn => _return;

    public int CurrentLength => _length;

    public override ReadOnlySpan<float> Reset(int? seed = null, ResetOptions? options = null)
    {
        ReadOnlySpan<float> observation = Inner.Reset(seed, options);
        _episodeStartTimestamp = Stopwatch.GetTimestamp();
        _return = 0.0;
        _length = 0;
        EpisodeEnded = false;
        return observation;
    }

    public override StepResult Step(int action)
    {
        StepResult result = Inner.Step(action);
        _return += result.Reward;
        _length++;
        EpisodeEnded = result.Terminated || result.Truncated;
        if (EpisodeEnded)
        {
            long now = Stopwatch.GetTimestamp();
            LastEpisodeReturn = _return;
            LastEpisodeLength = _length;
            LastEpisodeSeconds = Stopwatch.GetElapsedTime(_episodeStartTimestamp, now).TotalSeconds;
            LastEpisodeEndSeconds = Stopwatch.GetElapsedTime(_createdTimestamp, now).TotalSeconds;
            EpisodeCount++;
        }

        return result;
    }
}
