namespace DqnStudy.Environments;

/// <summary>Flickering observations (DRQN's flickering Atari): each observation, the first included, is
/// replaced by zeros with probability <see cref="P"/>. Its generator is re-seeded from Reset's seed
/// (mixed with a constant, so it does not replay the environment's own start-state stream).</summary>
public sealed class Flicker : Wrapper
{
    private const int SeedSalt = 0x5F1C_4E21;

    private readonly float[] _blank;
    private Random _rng = new();

    public Flicker(IEnvironment inner, double p = 0.5, string? id = null)
        : base(inner, id)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"p must lie in [0, 1] but is {p}.");
        }

        P = p;
        _blank = new float[inner.ObservationSpace.Size];
    }

    public double P { get; }

    /// <summary>Whether the last returned observation was blanked.</summary>
    public bool LastBlanked { get; private set; }

    public override ReadOnlySpan<float> Reset(int? seed = null, ResetOptions? options = null)
    {
        ReadOnlySpan<float> observation = Inner.Reset(seed, options);
        if (seed is int s)
        {
            _rng = new Random(s ^ SeedSalt);
        }

        return Blank(observation);
    }

    public override StepResult Step(int action)
    {
        StepResult result = Inner.Step(action);
        return new StepResult(Blank(result.Observation), result.Reward, result.Terminated, result.Truncated);
    }

    private ReadOnlySpan<float> Blank(ReadOnlySpan<float> observation)
    {
        LastBlanked = _rng.NextDouble() < P;
        return LastBlanked ? _blank : observation;
    }
}
