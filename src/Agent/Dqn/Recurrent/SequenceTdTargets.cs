namespace DqnStudy.Agent.Dqn.Recurrent;

/// <summary>
/// TD targets for every step of a sequence batch: y_t = r_t + γ·(1 − terminated_t)·Q_target(o_{t+1}, a*), with
/// Q_target read from the target net's unroll over <see cref="SequenceBatch.TargetInputs"/> (T+1 steps), whose
/// step t+1 is the next observation of step t. A truncated step is not terminated: it bootstraps.
/// </summary>
public static class SequenceTdTargets
{
    /// <param name="qUnroll">target net's Q over the T+1 target inputs: (T+1, B, A) time-major.</param>
    /// <param name="nextActions">Double DQN: a* per (T, B) row from the online net's unroll; empty for max.</param>
    /// <param name="targets">(T, B); padding rows get values that the loss ignores.</param>
    public static void Compute(ReadOnlySpan<float> qUnroll, ReadOnlySpan<int> nextActions, SequenceBatch batch, float gamma,
                               Span<float> targets, int steps, int batchSize, int actions)
    {
        Nn.Shapes.Require(qUnroll, (steps + 1) * batchSize * actions, nameof(qUnroll));
        // Rows 1..T of the unroll line up with the sequence's rows 0..T−1: one flat TD-target pass.
        TdTargets.Compute(qUnroll.Slice(batchSize * actions, steps * batchSize * actions), nextActions,
                          batch.Rewards.AsSpan(0, steps * batchSize), batch.Terminated.AsSpan(0, steps * batchSize),
                          gamma, targets, steps * batchSize, actions);
    }

    /// <summary>a* = argmax of the online net's Q over the target inputs, rows 1..T: (T, B).</summary>
    public static void GreedyNextActions(ReadOnlySpan<float> qUnroll, Span<int> nextActions, int steps, int batchSize, int actions)
    {
        for (int row = 0; row < steps * batchSize; row++)
            nextActions[row] = Greedy.ArgMax(qUnroll.Slice((batchSize + row) * actions, actions));
    }
}
