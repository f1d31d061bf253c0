using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn.Recurrent;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Tests.Recurrent;

/// <summary>Backprop through the whole DRQN update (masked sequence loss → head → BPTT) against centred differences.</summary>
public sealed class DrqnGradientTests
{
    [Theory]
    [InlineData(NetworkKind.Rnn)]
    [InlineData(NetworkKind.Lstm)]
    public void SequenceLossGradientMatchesFiniteDifferencesOnEveryTensor(NetworkKind kind)
    {
        const int steps = 4, batchSize = 3, inputs = 3, hidden = 4, actions = 2;
        var rng = new Random(11);
        var net = new RecurrentQNetwork(new ManagedBlas(), kind, inputs, hidden, [5], actions, Activation.Tanh, 0.01f, steps, batchSize);
        net.Initialize(new NetworkConfig { Init = InitKind.XavierUniform }, rng);

        // Sequence 1 is an episode of 2 steps: rows t = 2, 3 are padding.
        var batch = new SequenceBatch(batchSize, steps, inputs);
        int[] lengths = [4, 2, 4];
        var targets = new float[steps * batchSize];
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batchSize; b++)
            {
                int row = t * batchSize + b;
                bool valid = t < lengths[b];
                batch.Mask[row] = valid ? 1f : 0f;
                batch.Actions[row] = valid ? rng.Next(actions) : 0;
                targets[row] = (float)rng.NextDouble() * 2f - 1f;
                for (int i = 0; i < inputs; i++) batch.Observations[row * inputs + i] = valid ? (float)rng.NextDouble() * 2f - 1f : 0f;
            }
        }
        var loss = new SequenceLoss(new TdLoss(Nn.Losses.LossKind.Mse, 1f), steps * batchSize, actions);
        var dq = new float[steps * batchSize * actions];

        float[] cell = net.CellParameters.ToArray();
        float[] head = net.Head.Parameters.Values.ToArray();
        double Loss()
        {
            cell.CopyTo(net.CellParameters);
            head.CopyTo(net.Head.Parameters.Values);
            return loss.Compute(net.Forward(batch.Observations, steps, batchSize), batch, targets, dq, steps, batchSize);
        }

        net.ZeroGrad();
        Loss();
        Assert.Equal(10, loss.ValidCount);
        net.Backward(dq, steps, batchSize);
        float[] cellGrad = net.CellGradients.ToArray();
        float[] headGrad = net.Head.Parameters.Gradients.ToArray();
        Assert.Contains(cellGrad.AsSpan(net.WeightIh.Length, net.WeightHh.Length).ToArray(), g => g != 0f);

        foreach (var result in new[]
                 {
                     GradientChecker.CheckTensor($"{kind} cell (w_ih, w_hh, b_ih, b_hh)", cell, cellGrad, Loss, eps: 1e-2, tolerance: 2e-2, floor: 1e-3),
                     GradientChecker.CheckTensor($"{kind} head", head, headGrad, Loss, eps: 1e-2, tolerance: 2e-2, floor: 1e-3),
                 })
        {
            Assert.True(result.Passed, $"{result.Name}: max relative error {result.MaxRelativeError:G3} at {result.WorstIndex} (abs {result.MaxAbsoluteError:G3})");
            Assert.Equal(result.Name.Contains("cell") ? cell.Length : head.Length, result.Checked);
        }
    }
}
