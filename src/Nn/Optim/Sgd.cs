namespace DqnStudy.Nn.Optim;

/// <summary>torch.optim.SGD: g = grad + wd·p; with momentum, buf = g on the first step, then
/// buf = μ·buf + (1−dampening)·g; u = g + μ·buf (Nesterov) or buf; p −= lr·u.</summary>
public sealed class Sgd : IOptimizer
{
    private readonly OptimizerState _state;
    private readonly float _oneMinusDampening;

    public Sgd(int count, float lr, float momentum = 0, float dampening = 0, float weightDecay = 0, bool nesterov = false)
    {
        Hyper.RequireNonNegative(lr, nameof(lr));
        Hyper.RequireNonNegative(momentum, nameof(momentum));
        Hyper.RequireNonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException("Nesterov momentum requires momentum > 0 and dampening = 0 (as torch).", nameof(nesterov));
        }
        LearningRate = lr;
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _oneMinusDampening = Hyper.OneMinus(dampening);
        _state = new OptimizerState(Name, count, momentum != 0 ? 1 : 0);
    }

    public string Name => "sgd";

    public float LearningRate { get; set; }

    public float Momentum { get; }

    public float Dampening { get; }

    public float WeightDecay { get; }

    public bool Nesterov { get; }

    public long StepCount => _state.StepCount;

    /// <summary>The momentum buffer (empty without momentum).</summary>
    public ReadOnlySpan<float> MomentumBuffer => Momentum != 0 ? _state[0] : [];

    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        _state.Require(parameters, gradients);
        float lr = LearningRate, mu = Momentum, wd = WeightDecay, keep = _oneMinusDampening;
        bool first = _state.StepCount == 0;
        Span<float> buf = Momentum != 0 ? _state[0] : [];
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i] + wd * parameters[i];
            float u = g;
            if (mu != 0)
            {
                float b = first ? g : mu * buf[i] + keep * g;
                buf[i] = b;
                u = Nesterov ? g + mu * b : b;
            }
            parameters[i] -= lr * u;
        }
        _state.StepCount++;
    }

    public void Save(BinaryWriter w) => _state.Save(w);

    public void Load(BinaryReader r) => _state.Load(r);
}
