using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Recurrent;

namespace DqnStudy.Agent.Studies.Gradients;

/// <summary>
/// A DRQN-shaped Q-network: a recurrent cell (VanillaRnn or Lstm, h0 = c0 = 0) over sequences (T, B, obs), then an
/// MLP head applied to every step's hidden state, and the DQN loss on all T·B outputs. Backprop goes through time.
/// </summary>
public sealed class RecurrentSubject : IGradientSubject
{
    private const int CellTensors = 4;
    private readonly VanillaRnn? rnn;
    private readonly Lstm? lstm;
    private readonly Mlp head;
    private readonly TdLoss loss;
    private readonly DqnLoss dqnLoss;
    private readonly float[] sequences;    // (T, B, I)
    private readonly double[] sequencesDouble;
    private readonly int[] actions;        // (T·B)
    private readonly float[] targets;      // (T·B)
    private readonly float[] zeroState;    // (B, H)
    private readonly float[] dq;           // (T·B, A)
    private readonly float[] dhs;          // (T·B, H)
    private readonly int steps, batch, inputSize, hidden;
    private double[][] parameters = [];   // float64 copy, one array per tensor

    public RecurrentSubject(VanillaRnn? rnn, Lstm? lstm, Mlp head, TdLoss loss, float[] sequences, int[] actions, float[] targets,
                            int steps, int batch, string description)
    {
        if ((rnn is null) == (lstm is null))
        {
            throw new ArgumentException("Give exactly one recurrent cell: rnn or lstm.", nameof(rnn));
        }
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(loss);
        this.rnn = rnn;
        this.lstm = lstm;
        inputSize = rnn?.InputSize ?? lstm!.InputSize;
        hidden = rnn?.HiddenSize ?? lstm!.HiddenSize;
        if (head.InputSize != hidden)
        {
            throw new ArgumentException($"{nameof(head)} takes {head.InputSize} inputs but the cell's hidden size is {hidden}.", nameof(head));
        }
        int rows = steps * batch;
        Shapes.Require(sequences, rows * inputSize, nameof(sequences));
        Shapes.Require(actions, rows, nameof(actions));
        Shapes.Require(targets, rows, nameof(targets));
        this.head = head;
        this.loss = loss;
        this.sequences = sequences;
        this.actions = actions;
        this.targets = targets;
        this.steps = steps;
        this.batch = batch;
        sequencesDouble = sequences.Select(v => (double)v).ToArray();
        dqnLoss = new DqnLoss(loss, rows, head.OutputSize);
        zeroState = new float[batch * hidden];
        dq = new float[rows * head.OutputSize];
        dhs = new float[rows * hidden];
        string cell = rnn is null ? "lstm" : "rnn";
        TensorNames = new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" }.Select(n => cell + "." + n)
            .Concat(head.Parameters.Views.Select(v => v.Name)).ToArray();
        Description = description;
    }

    public string Description { get; }

    public IReadOnlyList<string> TensorNames { get; }

    public int Length(int tensor) => Values(tensor).Length;

    private Span<float> Values(int tensor) => tensor switch
    {
        0 => rnn is null ? lstm!.WeightIh : rnn.WeightIh,
        1 => rnn is null ? lstm!.WeightHh : rnn.WeightHh,
        2 => rnn is null ? lstm!.BiasIh : rnn.BiasIh,
        3 => rnn is null ? lstm!.BiasHh : rnn.BiasHh,
        _ => head.Parameters.ValuesOf(head.Parameters.Views[tensor - CellTensors]),
    };

    public ReadOnlySpan<float> Gradient(int tensor) => tensor switch
    {
        0 => rnn is null ? lstm!.WeightIhGrad : rnn.WeightIhGrad,
        1 => rnn is null ? lstm!.WeightHhGrad : rnn.WeightHhGrad,
        2 => rnn is null ? lstm!.BiasIhGrad : rnn.BiasIhGrad,
        3 => rnn is null ? lstm!.BiasHhGrad : rnn.BiasHhGrad,
        _ => head.Parameters.GradientsOf(head.Parameters.Views[tensor - CellTensors]),
    };

    public void Backpropagate()
    {
        int rows = steps * batch;
        head.ZeroGrad();
        rnn?.ZeroGrad();
        lstm?.ZeroGrad();
        ReadOnlySpan<float> hs = rnn is not null
            ? rnn.Forward(sequences, zeroState, steps, batch)
            : lstm!.Forward(sequences, zeroState, zeroState, steps, batch);
        ReadOnlySpan<float> q = head.Forward(hs, rows);
        dqnLoss.Compute(q, actions, targets, dq, rows);
        head.Backward(dq, dhs, rows);
        if (rnn is not null)
        {
            rnn.Backward(dhs, [], [], steps, batch);
        }
        else
        {
            lstm!.Backward(dhs, [], [], [], [], steps, batch);
        }
        parameters = [.. Enumerable.Range(0, TensorNames.Count).Select(t => DoubleForward.ToDouble(Values(t)))];
    }

    public double Loss(List<bool>? kinkSides, Nudge nudge) => nudge.Apply(parameters, () =>
    {
        var p = parameters;
        double[] hs = rnn is not null
            ? DoubleForward.Rnn(sequencesDouble, p[0], p[1], p[2], p[3], steps, batch, inputSize, hidden)
            : DoubleForward.Lstm(sequencesDouble, p[0], p[1], p[2], p[3], steps, batch, inputSize, hidden);
        double[] q = DoubleForward.Mlp(head, p[CellTensors..], hs, steps * batch, kinkSides);
        return DoubleForward.TdLoss(loss, q, actions, targets, steps * batch, head.OutputSize, kinkSides);
    });
}
