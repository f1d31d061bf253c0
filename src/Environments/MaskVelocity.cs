namespace DqnStudy.Environments;

/// <summary>RL Zoo's MaskVelocityWrapper: velocity components of the observation are set to 0 (partial
/// observability for the recurrent study). The observation space is left as it is, as RL Zoo does.</summary>
public sealed class MaskVelocity : Wrapper
{
    private readonly int[] _maskedIndices;
    private readonly float[] _observation;

    /// <summary>Masks the velocity entries RL Zoo masks for the unwrapped environment
    /// (CartPole: x_dot, theta_dot; MountainCar: velocity).</summary>
    public MaskVelocity(IEnvironment inner, string? id = null)
        : this(inner, VelocityIndices(inner), id)
    {
    }

    public MaskVelocity(IEnvironment inner, int[] maskedIndices, string? id = null)
        : base(inner, id)
    {
        ArgumentNullException.ThrowIfNull(maskedIndices);
        int size = inner.ObservationSpace.Size;
        foreach (int index in maskedIndices)
        {
            if ((uint)index >= (uint)size)
            {
                throw new ArgumentOutOfRangeException(nameof(maskedIndices), index, $"masked index {index} is outside an observation of {size} elements.");
            }
        }

        _maskedIndices = (int[])maskedIndices.Clone();
        _observation = new float[size];
    }

    public IReadOnlyList<int> MaskedIndices => _maskedIndices;

    public override ReadOnlySpan<float> Reset(int? seed = null, ResetOptions? options = null) => Mask(Inner.Reset(seed, options));

    public override StepResult Step(int action)
    {
        StepResult result = Inner.Step(action);
        return new StepResult(Mask(result.Observation), result.Reward, result.Terminated, result.Truncated);
    }

    private ReadOnlySpan<float> Mask(ReadOnlySpan<float> observation)
    {
        observation.CopyTo(_observation);
        foreach (int index in _maskedIndices)
        {
            _observation[index] = 0f; // +0, where RL Zoo's obs * mask would give -0 for negative velocities
        }

        return _observation;
    }

    private static int[] VelocityIndices(IEnvironment inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return inner.Unwrapped switch
        {
            CartPole => [1, 3],
            MountainCar => [1],
            _ => throw new ArgumentException($"no velocity mask is known for {inner.Unwrapped.Id}; pass the indices explicitly.", nameof(inner)),
        };
    }
}
