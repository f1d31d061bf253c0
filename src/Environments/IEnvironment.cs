namespace DqnStudy.Environments;

/// <summary>A Gymnasium-style episodic environment with a discrete action space.</summary>
/// <remarks>Ownership: every observation span returned by <see cref="Reset"/> or <see cref="Step"/>
/// points into a buffer the environment owns and overwrites on its next Reset or Step, so the steady
/// state allocates nothing. Callers that keep an observation (a replay buffer) must copy it.</remarks>
public interface IEnvironment
{
    string Id { get; }

    Box ObservationSpace { get; }

    Discrete ActionSpace { get; }

    /// <summary>Starts an episode and returns its first observation (info: <see cref="LastInfo"/>).
    /// A seed re-seeds the environment's generator; null continues its stream, as in Gymnasium.</summary>
    ReadOnlySpan<float> Reset(int? seed = null, ResetOptions? options = null);

    /// <summary>Advances one step. Throws InvalidOperationException before the first Reset or after
    /// a terminated/truncated step without a Reset; ArgumentOutOfRangeException for an action outside
    /// <see cref="ActionSpace"/>.</summary>
    StepResult Step(int action);

    /// <summary>The info map of the last Reset/Step; <see cref="EnvironmentInfo.Empty"/> when there is nothing to say.</summary>
    IReadOnlyDictionary<string, object> LastInfo { get; }

    /// <summary>The innermost environment under any wrappers (Gymnasium's <c>env.unwrapped</c>).</summary>
    IEnvironment Unwrapped => this;
}
