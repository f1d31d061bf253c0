namespace DqnStudy.Environments;

/// <summary>Episode bookkeeping shared by the classic-control ports: the seeded generator, the
/// Reset-before-Step and no-Step-after-termination rules, action checks and the observation buffer.
/// Physics is double (<see cref="State"/>), observations float32, as in Gymnasium.</summary>
/// <remarks>The generator is <see cref="System.Random"/> seeded with Reset's seed: a seed gives the same
/// start every time, but Gymnasium's numpy PCG64 streams are not reproduced (no port can match them
/// cheaply, and the reference trajectories set their start state explicitly).</remarks>
public abstract class ClassicControlEnvironment : IEnvironment
{
    private readonly float[] _observation;
    private Random _rng = new();
    private bool _running;
    private bool _everStarted;

    private protected ClassicControlEnvironment(string id, Box observationSpace, Discrete actionSpace, int stateSize)
    {
        Id = id;
        ObservationSpace = observationSpace;
        ActionSpace = actionSpace;
        S = new double[stateSize];
        _observation = new float[observationSpace.Size];
    }

    public string Id { get; }

    public Box ObservationSpace { get; }

    public Discrete ActionSpace { get; }

    public IReadOnlyDictionary<string, object> LastInfo => EnvironmentInfo.Empty;

    /// <summary>The float64 physics state (Gymnasium's <c>env.unwrapped.state</c>). Get returns a copy;
    /// set copies the values in and starts an episode from them, as the reference replays do after reset().
    /// Not for the hot path (the getter allocates).</summary>
    public double[] State
    {
        get => (double[])S.Clone();
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length != S.Length)
            {
                throw new ArgumentException($"{Id} state has {S.Length} components but value has {value.Length}.", nameof(value));
            }

            value.CopyTo(S, 0);
            _running = true;
            _everStarted = true;
        }
    }

    /// <summary>The observation of the current state (into the shared buffer; valid until the next Reset/Step).</summary>
    public ReadOnlySpan<float> CurrentObservation
    {
        get
        {
            WriteObservation(S, _observation);
            return _observation;
        }
    }

    /// <summary>The physics state the subclass integrates in place.</summary>
    private protected double[] S { get; }

    public ReadOnlySpan<float> Reset(int? seed = null, ResetOptions? options = null)
    {
        if (seed is int s)
        {
            _rng = new Random(s);
        }

        SampleStartState(_rng, options, S);
        _running = true;
        _everStarted = true;
        WriteResetObservation(S, _observation);
        return _observation;
    }

    public StepResult Step(int action)
    {
        StepGuard.Check(Id, _running, _everStarted, ActionSpace, action);

        bool terminated = Advance(action, S, out double reward);
        _running = !terminated;
        WriteObservation(S, _observation);
        return new StepResult(_observation, reward, terminated, truncated: false);
    }

    /// <summary>Draws Gymnasium's start distribution into state.</summary>
    private protected abstract void SampleStartState(Random rng, ResetOptions? options, Span<double> state);

    /// <summary>One Gymnasium step on state in place; returns terminated.</summary>
    private protected abstract bool Advance(int action, Span<double> state, out double reward);

    private protected abstract void WriteObservation(ReadOnlySpan<double> state, Span<float> observation);

    /// <summary>Reset's observation; differs from <see cref="WriteObservation"/> only where Gymnasium's reset does.</summary>
    private protected virtual void WriteResetObservation(ReadOnlySpan<double> state, Span<float> observation) =>
        WriteObservation(state, observation);

    private protected static double Uniform(Random rng, double low, double high) => low + (high - low) * rng.NextDouble();
}
