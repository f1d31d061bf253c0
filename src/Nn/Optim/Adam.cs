using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DqnStudy.Nn.Optim;

/// <summary>torch.optim.Adam (amsgrad off, L2 weight decay added to the gradient):
/// m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= (lr/(1−β1^t))·m / (√v/√(1−β2^t) + eps).</summary>
public sealed class Adam : IOptimizer
{
    private readonly OptimizerState _state;
    private readonly float _oneMinusBeta1;
    private readonly float _oneMinusBeta2;
    private readonly double _beta1AsWritten;
    private readonly double _beta2AsWritten;

    public Adam(int count, float lr, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0)
    {
        Hyper.RequireNonNegative(lr, nameof(lr));
        Hyper.RequireUnitInterval(beta1, nameof(beta1));
        Hyper.RequireUnitInterval(beta2, nameof(beta2));
        Hyper.RequireNonNegative(eps, nameof(eps));
        Hyper.RequireNonNegative(weightDecay, nameof(weightDecay));
        LearningRate = lr;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _state = new OptimizerState(Name, count, 2);
        _oneMinusBeta1 = Hyper.OneMinus(beta1);
        _oneMinusBeta2 = Hyper.OneMinus(beta2);
        _beta1AsWritten = Hyper.AsWritten(beta1);
        _beta2AsWritten = Hyper.AsWritten(beta2);
    }

    public string Name => "adam";

    public float LearningRate { get; set; }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Eps { get; }

    public float WeightDecay { get; }

    public long StepCount => _state.StepCount;

    /// <summary>m, torch's exp_avg.</summary>
    public ReadOnlySpan<float> ExpAvg => _state[0];

    /// <summary>v, torch's exp_avg_sq.</summary>
    public ReadOnlySpan<float> ExpAvgSq => _state[1];

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        _state.Require(parameters, gradients);
        long t = _state.StepCount + 1;
        // Bias corrections in double: β^t for large t underflows gracefully and keeps full precision early on.
        float stepSize = (float)(LearningRate / (1.0 - Math.Pow(_beta1AsWritten, t)));
        float invSqrtBias2 = (float)(1.0 / Math.Sqrt(1.0 - Math.Pow(_beta2AsWritten, t)));
        float b1 = Beta1, b2 = Beta2, eps = Eps, wd = WeightDecay;
        Span<float> m = _state[0];
        Span<float> v = _state[1];
        // Vector512 and Vector<float> lanes do exactly the scalar tail's IEEE operations (no FMA), so results are the same
        // whichever width handles an element. Vector<float> stays 256 bits wide on AVX-512 hardware; the 512-bit loop
        // halves the divides and square roots, which bound this loop.
        int done = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            done = Step512(parameters, gradients, m, v, stepSize, invSqrtBias2);
        }
        Span<Vector<float>> pv = MemoryMarshal.Cast<float, Vector<float>>(parameters[done..]);
        ReadOnlySpan<Vector<float>> gv = MemoryMarshal.Cast<float, Vector<float>>(gradients[done..]);
        Span<Vector<float>> mv = MemoryMarshal.Cast<float, Vector<float>>(m[done..]);
        Span<Vector<float>> vv = MemoryMarshal.Cast<float, Vector<float>>(v[done..]);
        for (int k = 0; k < pv.Length; k++)
        {
            Vector<float> p = pv[k];
            Vector<float> g = gv[k] + wd * p;
            Vector<float> mi = b1 * mv[k] + _oneMinusBeta1 * g;
            Vector<float> vi = b2 * vv[k] + _oneMinusBeta2 * g * g;
            mv[k] = mi;
            vv[k] = vi;
            pv[k] = p - stepSize * mi / (Vector.SquareRoot(vi) * invSqrtBias2 + new Vector<float>(eps));
        }
        for (int i = done + pv.Length * Vector<float>.Count; i < parameters.Length; i++)
        {
            float g = gradients[i] + wd * parameters[i];
            float mi = b1 * m[i] + _oneMinusBeta1 * g;
            float vi = b2 * v[i] + _oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            parameters[i] -= stepSize * mi / (MathF.Sqrt(vi) * invSqrtBias2 + eps);
        }
        _state.StepCount = t;
    }

    /// <summary>The same update as <see cref="Step"/>'s loops over the leading multiple of 16 elements; returns how many.</summary>
    private int Step512(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> m, Span<float> v,
                        float stepSize, float invSqrtBias2)
    {
        Span<Vector512<float>> pv = MemoryMarshal.Cast<float, Vector512<float>>(parameters);
        ReadOnlySpan<Vector512<float>> gv = MemoryMarshal.Cast<float, Vector512<float>>(gradients[..parameters.Length]);
        Span<Vector512<float>> mv = MemoryMarshal.Cast<float, Vector512<float>>(m);
        Span<Vector512<float>> vv = MemoryMarshal.Cast<float, Vector512<float>>(v);
        Vector512<float> b1 = Vector512.Create(Beta1), b2 = Vector512.Create(Beta2), wd = Vector512.Create(WeightDecay);
        Vector512<float> c1 = Vector512.Create(_oneMinusBeta1), c2 = Vector512.Create(_oneMinusBeta2);
        Vector512<float> step = Vector512.Create(stepSize), bias2 = Vector512.Create(invSqrtBias2), eps = Vector512.Create(Eps);
        for (int k = 0; k < pv.Length; k++)
        {
            Vector512<float> p = pv[k];
            Vector512<float> g = gv[k] + wd * p;
            Vector512<float> mi = b1 * mv[k] + c1 * g;
            Vector512<float> vi = b2 * vv[k] + c2 * g * g;
            mv[k] = mi;
            vv[k] = vi;
            pv[k] = p - step * mi / (Vector512.Sqrt(vi) * bias2 + eps);
        }
        return pv.Length * Vector512<float>.Count;
    }

    public void Save(BinaryWriter w) => _state.Save(w);

    public void Load(BinaryReader r) => _state.Load(r);
}
