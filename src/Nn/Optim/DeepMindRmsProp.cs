namespace DqnStudy.Nn.Optim;

/// <summary>
/// The RMSProp of DeepMind's 2015 DQN (Mnih et al.; the "Human-level control" Lua code), not torch's:
/// centered, one decay for both averages, and the constant inside the square root:
/// ḡ = ρ·ḡ + (1−ρ)·g; v = ρ·v + (1−ρ)·g²; p −= lr·g / √(v − ḡ² + minSquaredGradient). No momentum.
/// </summary>
public sealed class DeepMindRmsProp : IOptimizer
{
    private readonly OptimizerState _state;
    private readonly float _oneMinusDecay;

    public DeepMindRmsProp(int count, float lr, float decay = 0.95f, float minSquaredGradient = 0.01f)
    {
        Hyper.RequireNonNegative(lr, nameof(lr));
        Hyper.RequireUnitInterval(decay, nameof(decay));
        if (!(minSquaredGradient > 0f) || float.IsInfinity(minSquaredGradient))
        {
            throw new ArgumentOutOfRangeException(nameof(minSquaredGradient), minSquaredGradient, "minSquaredGradient must be positive and finite.");
        }
        LearningRate = lr;
        Decay = decay;
        MinSquaredGradient = minSquaredGradient;
        _state = new OptimizerState(Name, count, 2);
        _oneMinusDecay = Hyper.OneMinus(decay);
    }

    public string Name => "deepmind_rmsprop";

    public float LearningRate { get; set; }

    public float Decay { get; }

    public float MinSquaredGradient { get; }

    public long StepCount => _state.StepCount;

    public ReadOnlySpan<float> SquareAvg => _state[0];

    public ReadOnlySpan<float> GradAvg => _state[1];

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        _state.Require(parameters, gradients);
        float lr = LearningRate, rho = Decay, floor = MinSquaredGradient;
        Span<float> v = _state[0];
        Span<float> gbar = _state[1];
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i];
            float vi = rho * v[i] + _oneMinusDecay * g * g;
            float gi = rho * gbar[i] + _oneMinusDecay * g;
            v[i] = vi;
            gbar[i] = gi;
            parameters[i] -= lr * g / MathF.Sqrt(vi - gi * gi + floor);
        }
        _state.StepCount++;
    }

    public void Save(BinaryWriter w) => _state.Save(w);

    public void Load(BinaryReader r) => _state.Load(r);
}
