using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Nn.Tests.Layers;

/// <summary>One DQN update as the agent runs it (target forward, online forward, DqnLoss, backward, Adam),
/// on fixed seeded data, with every buffer allocated up front.</summary>
public sealed class TrainingFixture
{
    public const int Batch = 32;
    public const int Inputs = 4;
    public const int Actions = 2;

    private readonly float[] states, nextStates, targets, dq;
    private readonly int[] actions;

    public TrainingFixture(IBlas blas, int seed, LossKind loss = LossKind.Huber)
    {
        var rng = new Random(seed);
        Online = new Mlp(blas, Inputs, [16, 12], Actions, Activation.Relu, Batch);
        Online.Initialize(InitScheme.TorchDefault, 1.0, rng);
        Target = Online.Clone();
        Loss = new DqnLoss(new TdLoss(loss), Batch, Actions);
        Optimizer = new Adam(Online.Parameters.Count, 1e-2f);
        states = Random(rng, Batch * Inputs);
        nextStates = Random(rng, Batch * Inputs);
        actions = [.. Enumerable.Range(0, Batch).Select(_ => rng.Next(Actions))];
        targets = new float[Batch];
        dq = new float[Batch * Actions];
        Rewards = Random(rng, Batch);
    }

    public Mlp Online { get; }

    public Mlp Target { get; }

    public DqnLoss Loss { get; }

    public Adam Optimizer { get; }

    public float[] Rewards { get; }

    /// <summary>One cleanrl-style update; returns the loss.</summary>
    public float Update()
    {
        ReadOnlySpan<float> next = Target.Forward(nextStates, Batch);
        for (int b = 0; b < Batch; b++)
        {
            targets[b] = Rewards[b] + 0.99f * MathF.Max(next[b * Actions], next[b * Actions + 1]);
        }
        ReadOnlySpan<float> q = Online.Forward(states, Batch);
        float value = Loss.Compute(q, actions, targets, dq, Batch);
        Online.ZeroGrad();
        Online.Backward(dq, Batch);
        Optimizer.Step(Online.Parameters.Values, Online.Parameters.Gradients);
        return value;
    }

    private static float[] Random(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 4 - 2))];
}
