using DqnStudy.Agent.Dqn;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Bench;

/// <summary>
/// One DQN update exactly as DqnTrainer.Update does it on a sampled batch (target forward on s', TD targets,
/// zero-grad, online forward on s, MSE DqnLoss, backward, Adam), and the same update's GEMMs alone (the floor).
/// Shared by the update, scaling and act benchmarks so that every table measures the same code.
/// </summary>
internal sealed class UpdateRig
{
    public const int Inputs = 4;
    public const int Actions = 2;

    private readonly IBlas blas;
    private readonly int batch;
    private readonly int[] widths;         // 4, hidden…, 2
    private readonly Mlp online;
    private readonly Mlp target;
    private readonly DqnLoss loss;
    private readonly Adam adam;
    private readonly float[] states, nextStates, rewards, terminated, tdTargets, dq;
    private readonly int[] actions;
    private readonly float[][] activations, weights, outputs, weightGrads, inputGrads; // floor operands

    public UpdateRig(string provider, int batch, int[] hidden)
    {
        // BlasSelector as the trainer uses it; an explicit "mkl" throws with the reason when MKL is absent.
        // "managed-avx2": the managed provider held to its AVX2 tiles on a CPU with AVX-512.
        blas = provider == "managed-avx2" ? new ManagedBlas(allowAvx512: false)
             : BlasSelector.Create(provider, threads: 1, reproducible: true).Blas;
        this.batch = batch;
        widths = [Inputs, .. hidden, Actions];
        var rng = new Random(1);
        online = new Mlp(blas, Inputs, hidden, Actions, Activation.Relu, batch);
        online.Initialize(InitScheme.TorchDefault, 1.0, rng);
        target = online.Clone();
        loss = new DqnLoss(new TdLoss(LossKind.Mse), batch, Actions);
        adam = new Adam(online.Parameters.Count, 2.5e-4f);
        states = Fill(rng, batch * Inputs);
        nextStates = Fill(rng, batch * Inputs);
        rewards = Fill(rng, batch);
        terminated = [.. Enumerable.Range(0, batch).Select(i => i % 17 == 0 ? 1f : 0f)];
        actions = [.. Enumerable.Range(0, batch).Select(_ => rng.Next(Actions))];
        tdTargets = new float[batch];
        dq = new float[batch * Actions];
        int layers = widths.Length - 1;
        activations = [.. Enumerable.Range(0, layers).Select(l => Fill(rng, batch * widths[l]))];
        weights = [.. Enumerable.Range(0, layers).Select(l => Fill(rng, widths[l + 1] * widths[l]))];
        outputs = [.. Enumerable.Range(0, layers).Select(l => Fill(rng, batch * widths[l + 1]))];
        weightGrads = [.. Enumerable.Range(0, layers).Select(l => Fill(rng, widths[l + 1] * widths[l]))];
        inputGrads = [.. Enumerable.Range(0, layers).Select(l => Fill(rng, batch * widths[l]))];
    }

    public IBlas Blas => blas;

    public float Update()
    {
        ReadOnlySpan<float> next = target.Forward(nextStates, batch);
        TdTargets.Compute(next, default, rewards, terminated, 0.99f, tdTargets, batch, Actions);
        online.ZeroGrad();
        ReadOnlySpan<float> q = online.Forward(states, batch);
        float value = loss.Compute(q, actions, tdTargets, dq, batch);
        online.Backward(dq, batch);
        adam.Step(online.Parameters.Values, online.Parameters.Gradients);
        return value;
    }

    // The update's pieces, in its order, for --profile (each may be called on its own, repeatedly).
    public void Forwards()
    {
        target.Forward(nextStates, batch);
        online.Forward(states, batch);
    }

    public float TargetsAndLoss()
    {
        TdTargets.Compute(target.Layers[^1].Output[..(batch * Actions)], default, rewards, terminated, 0.99f, tdTargets, batch, Actions);
        return loss.Compute(online.Layers[^1].Output[..(batch * Actions)], actions, tdTargets, dq, batch);
    }

    public void ZeroGrad() => online.ZeroGrad();

    public void Backward() => online.Backward(dq, batch);

    public void AdamStep() => adam.Step(online.Parameters.Values, online.Parameters.Gradients);

    /// <summary>2 × multiply-adds of <see cref="Floor"/>.</summary>
    public long FloorFlops
    {
        get
        {
            long flops = 0;
            for (int l = 0; l + 1 < widths.Length; l++)
            {
                long mac = (long)batch * widths[l] * widths[l + 1];
                flops += 2 * (2 * mac + mac + (l > 0 ? mac : 0));
            }
            return flops;
        }
    }

    /// <summary>The update's GEMMs and nothing else: 2 forwards of every layer, dW of every layer, dx of all but
    /// the first (nobody needs the observation's gradient). 11 calls for two hidden layers.</summary>
    public void Floor()
    {
        int layers = widths.Length - 1;
        for (int pass = 0; pass < 2; pass++)
        {
            for (int l = 0; l < layers; l++)
            {
                // y = x·wᵀ: (B,in)·(out,in)ᵀ
                blas.Gemm(Trans.No, Trans.Yes, batch, widths[l + 1], widths[l], 1f, activations[l], weights[l], 0f, outputs[l]);
            }
        }
        for (int l = layers - 1; l >= 0; l--)
        {
            // dw += dyᵀ·x: (B,out)ᵀ·(B,in)
            blas.Gemm(Trans.Yes, Trans.No, widths[l + 1], widths[l], batch, 1f, outputs[l], activations[l], 1f, weightGrads[l]);
            if (l > 0)
            {
                // dx = dy·w: (B,out)·(out,in)
                blas.Gemm(Trans.No, Trans.No, batch, widths[l], widths[l + 1], 1f, outputs[l], weights[l], 0f, inputGrads[l]);
            }
        }
    }

    /// <summary>ε = 0 action selection: a single-state forward and argmax, as DqnTrainer.GreedyAction.</summary>
    public int Act(int row) => Greedy.ArgMax(online.Forward(states.AsSpan(row * Inputs, Inputs), 1));

    private static float[] Fill(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
}
