using System.Numerics;
using System.Runtime.InteropServices;

namespace DqnStudy.Nn.Optim;

/// <summary>torch.optim.RMSprop: v = α·v + (1−α)·g²; centered: ḡ = α·ḡ + (1−α)·g, den = √(v − ḡ²) + eps,
/// else den = √v + eps (eps outside the root); momentum: buf = μ·buf + g/den, p −= lr·buf; else p −= lr·g/den.</summary>
public sealed class RmsProp : IOptimizer
{
    private readonly OptimizerState _state;
    private readonly float _oneMinusAlpha;
    private readonly int _gradAvgIndex;
    private readonly int _bufferIndex;

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
        _oneMinusAlpha = Hyper.OneMinus(alpha);
        _gradAvgIndex = centered ? 1 : -1;
        _bufferIndex = momentum > 0 ? (centered ? 2 : 1) : -1;
        _state = new OptimizerState(Name, count, 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0));
    }

    public string Name => "rmsprop";

    public float LearningRate { get; set; }

    public float Alpha { get; }

    public float Eps { get; }

    public float WeightDecay { get; }

    public float Momentum { get; }

    public bool Centered { get; }

    public long StepCount => _state.StepCount;

    /// <summary>v, torch's square_avg.</summary>
    public ReadOnlySpan<float> SquareAvg => _state[0];

    /// <summary>ḡ, torch's grad_avg (empty unless centered).</summary>
    public ReadOnlySpan<float> GradAvg => _gradAvgIndex >= 0 ? _state[_gradAvgIndex] : [];

    /// <summary>torch's momentum_buffer (empty unless momentum &gt; 0).</summary>
    public ReadOnlySpan<float> MomentumBuffer => _bufferIndex >= 0 ? _state[_bufferIndex] : [];

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        _state.Require(parameters, gradients);
        Span<float> v = _state[0];
        Span<float> gbar = _gradAvgIndex >= 0 ? _state[_gradAvgIndex] : [];
        Span<float> buf = _bufferIndex >= 0 ? _state[_bufferIndex] : [];
        // Vector<float> lanes do exactly the scalar tail's IEEE operations (no FMA; sqrt and division are correctly
        // rounded), so a parameter's update does not depend on where it falls.
        int vectorized = parameters.Length - parameters.Length % Vector<float>.Count;
        StepVectors(parameters[..vectorized], gradients[..vectorized], v[..vectorized],
                    Centered ? gbar[..vectorized] : [], Momentum > 0 ? buf[..vectorized] : []);
        for (int i = vectorized; i < parameters.Length; i++)
        {
            float g = gradients[i] + WeightDecay * parameters[i];
            float vi = Alpha * v[i] + _oneMinusAlpha * g * g;
            v[i] = vi;
            float den;
            if (Centered)
            {
                float gi = Alpha * gbar[i] + _oneMinusAlpha * g;
                gbar[i] = gi;
                den = MathF.Sqrt(vi - gi * gi) + Eps;
            }
            else
            {
                den = MathF.Sqrt(vi) + Eps;
            }
            if (Momentum > 0)
            {
                float b = Momentum * buf[i] + g / den;
                buf[i] = b;
                parameters[i] -= LearningRate * b;
            }
            else
            {
                parameters[i] -= LearningRate * g / den;
            }
        }
        _state.StepCount++;
    }

    private void StepVectors(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> squareAvg,
                             Span<float> gradAvg, Span<float> momentumBuffer)
    {
        Span<Vector<float>> p = MemoryMarshal.Cast<float, Vector<float>>(parameters);
        ReadOnlySpan<Vector<float>> grad = MemoryMarshal.Cast<float, Vector<float>>(gradients);
        Span<Vector<float>> v = MemoryMarshal.Cast<float, Vector<float>>(squareAvg);
        Span<Vector<float>> gbar = MemoryMarshal.Cast<float, Vector<float>>(gradAvg);
        Span<Vector<float>> buf = MemoryMarshal.Cast<float, Vector<float>>(momentumBuffer);
        var lr = new Vector<float>(LearningRate);
        var alpha = new Vector<float>(Alpha);
        var keep = new Vector<float>(_oneMinusAlpha);
        var eps = new Vector<float>(Eps);
        var wd = new Vector<float>(WeightDecay);
        var mu = new Vector<float>(Momentum);
        bool centered = Centered, momentum = Momentum > 0;
        for (int k = 0; k < p.Length; k++)
        {
            Vector<float> g = grad[k] + wd * p[k];
            Vector<float> vi = alpha * v[k] + keep * g * g;
            v[k] = vi;
            Vector<float> den;
            if (centered)
            {
                Vector<float> gi = alpha * gbar[k] + keep * g;
                gbar[k] = gi;
                den = Vector.SquareRoot(vi - gi * gi) + eps;
            }
            else
            {
                den = Vector.SquareRoot(vi) + eps;
            }
            if (momentum)
            {
                Vector<float> b = mu * buf[k] + g / den;
                buf[k] = b;
                p[k] -= lr * b;
            }
            else
            {
                p[k] -= lr * g / den;
            }
        }
    }

    public void Save(BinaryWriter w) => _state.Save(w);

    public void Load(BinaryReader r) => _state.Load(r);
}
