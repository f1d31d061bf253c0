using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Studies.Gradients;

/// <summary>An MLP Q-network and the DQN loss on a fixed batch of (state, action, target).</summary>
public sealed class MlpSubject : IGradientSubject
{
    private readonly Mlp network;
    private readonly TdLoss loss;
    private readonly DqnLoss dqnLoss;
    private readonly float[] states;     // (batch, In)
    private readonly double[] statesDouble;
    private readonly int[] actions;      // (batch)
    private readonly float[] targets;    // (batch)
    private readonly float[] dq;         // (batch, A)
    private readonly int batch;
    private double[][] parameters;       // float64 copy, one array per tensor
    private readonly FloatSlopes slopes = new();
    private bool record = true;

    public MlpSubject(Mlp network, TdLoss loss, float[] states, int[] actions, float[] targets, int batch, string description)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        Shapes.Require(states, batch * network.InputSize, nameof(states));
        Shapes.Require(actions, batch, nameof(actions));
        Shapes.Require(targets, batch, nameof(targets));
        this.network = network;
        this.loss = loss;
        this.states = states;
        this.actions = actions;
        this.targets = targets;
        this.batch = batch;
        statesDouble = states.Select(v => (double)v).ToArray();
        dqnLoss = new DqnLoss(loss, batch, network.OutputSize);
        dq = new float[batch * network.OutputSize];
        TensorNames = network.Parameters.Views.Select(v => v.Name).ToArray();
        Description = description;
        parameters = DoubleForward.Parameters(network);
        record = true;
    }

    public string Description { get; }

    public IReadOnlyList<string> TensorNames { get; }

    public int Length(int tensor) => network.Parameters.Views[tensor].Length;

    public ReadOnlySpan<float> Gradient(int tensor) => network.Parameters.GradientsOf(network.Parameters.Views[tensor]);

    public void Backpropagate()
    {
        network.ZeroGrad();
        ReadOnlySpan<float> q = network.Forward(states, batch);
        dqnLoss.Compute(q, actions, targets, dq, batch);
        network.Backward(dq, batch);
        parameters = DoubleForward.Parameters(network);
        record = true;
    }

    public double Loss(List<bool>? kinkSides, Nudge nudge)
    {
        // The first forward after Backpropagate (the checker's unperturbed one) records where each activation sits.
        slopes.Restart(record && nudge.Tensor < 0);
        record = false;
        return nudge.Apply(parameters, () =>
            DoubleForward.TdLoss(loss, DoubleForward.Mlp(network, parameters, statesDouble, batch, kinkSides, slopes), actions, targets, batch,
                                 network.OutputSize, kinkSides));
    }
}
