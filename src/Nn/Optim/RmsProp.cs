namespace DqnStudy.Nn.Optim;

/// <summary>torch.optim.RMSprop: v = α·v + (1−α)·g²; centered: ḡ = α·ḡ + (1−α)·g, den = √(v − ḡ²) + eps,
/// else den = √v + eps (eps outside the root); momentum: buf = μ·buf + g/den, p −= lr·buf; else p −= lr·g/den.</summary>
public sealed class RmsProp : IOptimizer
{
    private readonly OptimizerState state;
    private readonly float oneMinusAlpha;
    private readonly int gradAvgIndex;
    private readonly int bufferIndex;

    public RmsProp(int count, float lr, float alpha = 0.99f, float eps = 1e-8f, float weightDecay = 0, float momentum = 0, bool centered = false)
    {
        Hyper.RequireNonNegative(lr, nameof(lr));
        Hyper.RequireUnitInterval(alpha, nameof(alpha));
        Hyper.RequireNonNegative(eps, nameof(eps));
        Hyper.RequireNonNegative(weightDecay, nameof(weightDecay));
        Hyper.RequireNonNegative(momentum, nameof(momentum));
        LearningRate = lr;
        Alpha = alpha;
        Eps = eps;
        WeightDecay = weightDecay;
        Momentum = momentum;
        Centered = centered;
        oneMinusAlpha = Hyper.OneMinus(alpha);
        gradAvgIndex = centered ? 1 : -1;
        bufferIndex = momentum > 0 ? (centered ? 2 : 1) : -1;
        state = new OptimizerState(Name, count, 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0));
    }

    public string Name => "rmsprop";

    public float LearningRate { get; set; }

    public float Alpha { get; }

    public float Eps { get; }

    public float WeightDecay { get; }

    public float Momentum { get; }

    public bool Centered { get; }

    public long StepCount => state.StepCount;

    /// <summary>v, torch's square_avg.</summary>
    public ReadOnlySpan<float> SquareAvg => state[0];

    /// <summary>ḡ, torch's grad_avg (empty unless centered).</summary>
    public ReadOnlySpan<float> GradAvg => gradAvgIndex >= 0 ? state[gradAvgIndex] : [];

    /// <summary>torch's momentum_buffer (empty unless momentum &gt; 0).</summary>
    public ReadOnlySpan<float> MomentumBuffer => bufferIndex >= 0 ? state[bufferIndex] : [];

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        state.Require(parameters, gradients);
        float lr = LearningRate, alpha = Alpha, eps = Eps, wd = WeightDecay, mu = Momentum;
        Span<float> v = state[0];
        Span<float> gbar = gradAvgIndex >= 0 ? state[gradAvgIndex] : [];
        Span<float> buf = bufferIndex >= 0 ? state[bufferIndex] : [];
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i] + wd * parameters[i];
            float vi = alpha * v[i] + oneMinusAlpha * g * g;
            v[i] = vi;
            float den;
            if (Centered)
            {
                float gi = alpha * gbar[i] + oneMinusAlpha * g;
                gbar[i] = gi;
                den = MathF.Sqrt(vi - gi * gi) + eps;
            }
            else
            {
                den = MathF.Sqrt(vi) + eps;
            }
            if (mu > 0)
            {
                float b = mu * buf[i] + g / den;
                buf[i] = b;
                parameters[i] -= lr * b;
            }
            else
            {
                parameters[i] -= lr * g / den;
            }
        }
        state.StepCount++;
    }

    public void Save(BinaryWriter w) => state.Save(w);

    public void Load(BinaryReader r) => state.Load(r);
}
