using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Bench;

/// <summary>
/// One frame of MinAtar's examples/dqn.py on DqnStudy's core: the acting forward (one state) and one update at batch 32
/// (target forward on s', TD targets, zero-grad, online forward on s, smooth-L1/Huber DqnLoss, backward, centred RMSProp
/// lr 2.5e-4, alpha 0.95, eps 0.01, momentum 0.95). The network is dqn.py's QNetwork: conv 16 3×3 → relu → flatten →
/// fc 128 → relu → fc 6 (MinAtar's num_actions() is 6 for every game) on C×10×10 0/1 states (~15% ones).
/// </summary>
internal sealed class MinAtarRig
{
    public const int Batch = 32;
    public const int Actions = 6;
    public const int Filters = 16;
    public const int Hidden = 128;
    private const int Batches = 16;           // sampled batches, used in turn (replay sampling without its cost)
    private const int TargetUpdate = 1000;    // dqn.py's TARGET_NETWORK_UPDATE_FREQ, in frames

    private readonly int channels;
    private readonly Mlp online;
    private readonly Mlp target;
    private readonly DqnLoss loss;
    private readonly RmsProp optimizer;
    private readonly float[] states, nextStates, rewards, terminated, tdTargets, dq;
    private readonly int[] actions;
    private long frames;
    private readonly RmsProp stepOptimizer;
    private readonly float[] stepParameters;
    private readonly float[][] stepGradients;
    private long steps;
    private readonly float[][] floorX, floorW, floorY, floorDw, floorDx;   // fc1 and the head: the dense layers' GEMM operands

    public MinAtarRig(string provider, int channels)
    {
        Blas = BlasSelector.Create(provider, threads: 1, reproducible: true).Blas;
        this.channels = channels;
        var rng = new Random(1);
        var image = new ImageShape(channels, 10, 10);
        LayerSpec[] specs =
        [
            LayerSpec.Conv2d(Filters, 3), LayerSpec.Act(Activation.Relu), LayerSpec.Flatten(),
            LayerSpec.Dense(Hidden), LayerSpec.Act(Activation.Relu), LayerSpec.Dense(Actions),
        ];
        online = new Mlp(Blas, specs, image, Batch);
        online.Initialize(InitScheme.TorchDefault, 1.0, rng);
        target = online.Clone();
        loss = new DqnLoss(new TdLoss(LossKind.Huber), Batch, Actions);
        optimizer = new RmsProp(online.Parameters.Count, 2.5e-4f, alpha: 0.95f, eps: 0.01f, momentum: 0.95f, centered: true);
        // Several batches in turn: one batch over and over drives the gradient to a constant, where centred RMSProp's
        // v − ḡ² rounds below zero and its square root is NaN (torch's float32 RMSprop does the same).
        states = Binary(rng, Batches * Batch * image.Size);
        nextStates = Binary(rng, Batches * Batch * image.Size);
        rewards = [.. Enumerable.Range(0, Batches * Batch).Select(_ => rng.Next(5) == 0 ? 1f : 0f)];
        terminated = [.. Enumerable.Range(0, Batches * Batch).Select(_ => rng.Next(17) == 0 ? 1f : 0f)];
        actions = [.. Enumerable.Range(0, Batches * Batch).Select(_ => rng.Next(Actions))];
        stepOptimizer = new RmsProp(online.Parameters.Count, 2.5e-4f, alpha: 0.95f, eps: 0.01f, momentum: 0.95f, centered: true);
        stepParameters = online.Parameters.Values.ToArray();
        stepGradients = [Uniform(rng, stepParameters.Length), Uniform(rng, stepParameters.Length)];
        int[] widths = [Filters * 64, Hidden, Actions];
        floorX = [.. Enumerable.Range(0, 2).Select(l => Uniform(rng, Batch * widths[l]))];
        floorW = [.. Enumerable.Range(0, 2).Select(l => Uniform(rng, widths[l + 1] * widths[l]))];
        floorY = [.. Enumerable.Range(0, 2).Select(l => Uniform(rng, Batch * widths[l + 1]))];
        floorDw = [.. Enumerable.Range(0, 2).Select(l => Uniform(rng, widths[l + 1] * widths[l]))];
        floorDx = [.. Enumerable.Range(0, 2).Select(l => Uniform(rng, Batch * widths[l]))];
        tdTargets = new float[Batch];
        dq = new float[Batch * Actions];
    }

    public IBlas Blas { get; }

    public string Describe() => online.Describe();

    /// <summary>2 × the multiply-adds of one frame: forwards at batch 32 (target and online) and at batch 1 (acting);
    /// the backward is dW of every layer and dx of every layer but the conv (the observation needs no gradient).
    /// 41.2 MFLOP at 4 channels.</summary>
    public double FlopsPerFrame
    {
        get
        {
            double conv = 2.0 * Filters * 64 * channels * 9, fc = 2.0 * Filters * 64 * Hidden, head = 2.0 * Hidden * Actions;
            double forward = conv + fc + head;                  // per sample
            double backward = conv + 2 * fc + 2 * head;         // per sample: dW everywhere, dx where a layer is below
            return (2 * Batch + 1) * forward + Batch * backward;
        }
    }

    /// <summary>The acting forward and the update.</summary>
    public float Frame()
    {
        Act((int)(frames % Batch));
        return Update();
    }

    public float Update()
    {
        int k = (int)(frames++ % Batches), size = channels * 100;
        if (frames % TargetUpdate == 0)
        {
            target.CopyParametersFrom(online);
        }
        ReadOnlySpan<float> next = target.Forward(nextStates.AsSpan(k * Batch * size, Batch * size), Batch);
        for (int b = 0; b < Batch; b++)
        {
            ReadOnlySpan<float> row = next.Slice(b * Actions, Actions);
            float best = row[0];
            for (int a = 1; a < Actions; a++)
            {
                best = MathF.Max(best, row[a]);
            }
            tdTargets[b] = rewards[k * Batch + b] + 0.99f * (1f - terminated[k * Batch + b]) * best;
        }
        online.ZeroGrad();
        ReadOnlySpan<float> q = online.Forward(states.AsSpan(k * Batch * size, Batch * size), Batch);
        float value = loss.Compute(q, actions.AsSpan(k * Batch, Batch), tdTargets, dq, Batch);
        online.Backward(dq, Batch);
        optimizer.Step(online.Parameters.Values, online.Parameters.Gradients);
        return value;
    }

    /// <summary>ε = 0 action selection on one state.</summary>
    public int Act(int row)
    {
        ReadOnlySpan<float> q = online.Forward(states.AsSpan(row * channels * 100, channels * 100), 1);
        int best = 0;
        for (int a = 1; a < Actions; a++)
        {
            best = q[a] > q[best] ? a : best;
        }
        return best;
    }

    /// <summary>The frame's dense-layer GEMMs alone, as the provider runs them (fc1 1024→128 and the head 128→6): forwards
    /// at batch 32 twice and at batch 1, dW of both, dx of both. The frame's time above this is the convolution,
    /// activations, loss, zero-grad, RMSProp and the cache misses between them.</summary>
    public void Floor()
    {
        int[] widths = [Filters * 64, Hidden, Actions];
        for (int l = 0; l < 2; l++)
        {
            for (int pass = 0; pass < 2; pass++)
            {
                Blas.Gemm(Trans.No, Trans.Yes, Batch, widths[l + 1], widths[l], 1f, floorX[l], floorW[l], 0f, floorY[l]);
            }
            Blas.Gemm(Trans.No, Trans.Yes, 1, widths[l + 1], widths[l], 1f, floorX[l], floorW[l], 0f, floorY[l]);
            Blas.Gemm(Trans.Yes, Trans.No, widths[l + 1], widths[l], Batch, 1f, floorY[l], floorX[l], 1f, floorDw[l]);
            Blas.Gemm(Trans.No, Trans.No, Batch, widths[l], widths[l + 1], 1f, floorY[l], floorW[l], 0f, floorDx[l]);
        }
    }

    /// <summary>The pieces of an update, to see where its time goes.</summary>
    public float Forward() => online.Forward(states.AsSpan(0, Batch * channels * 100), Batch)[0];

    public void Backward()
    {
        online.ZeroGrad();
        online.Backward(dq, Batch);
    }

    /// <summary>A centred RMSProp step of the network's size on its own parameters, alternating two gradients (one
    /// gradient over and over would drive v − ḡ² to rounding noise and the step to NaN).</summary>
    public void OptimizerStep() => stepOptimizer.Step(stepParameters, stepGradients[(int)(steps++ & 1)]);

    private static float[] Uniform(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2e-3 - 1e-3))];

    private static float[] Binary(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => rng.NextDouble() < 0.15 ? 1f : 0f)];
}
