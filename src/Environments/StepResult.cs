namespace DqnStudy.Environments;

/// <summary>What one <see cref="IEnvironment.Step"/> returned. A ref struct because
/// <see cref="Observation"/> borrows the environment's buffer: valid until its next Reset/Step.</summary>
public readonly ref struct StepResult
{
    public StepResult(ReadOnlySpan<float> observation, double reward, bool terminated, bool truncated)
    {
        Observation = observation;
        Reward = reward;
        Terminated = terminated;
        Truncated = truncated;
    }

    /// <summary>Owned by the environment; copy it to keep it past the next Reset/Step.</summary>
    public ReadOnlySpan<float> Observation { get; }

    public double Reward { get; }

    /// <summary>A true terminal state of the MDP: value targets must not bootstrap from it.</summary>
    public bool Terminated { get; }

    /// <summary>The episode was cut off (time limit): value targets still bootstrap.</summary>
    public bool Truncated { get; }

    /// <summary>True when either flag ends the episode.</summary>
    public bool Done => Terminated || Truncated;
}
