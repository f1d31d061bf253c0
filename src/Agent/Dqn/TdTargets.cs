namespace DqnStudy.Agent.Dqn;

/// <summary>
/// y = r + γ·(1 − terminated)·Q_target(s', a*). a* is argmax of the target network's own row (DQN)
/// or the online network's choice (Double DQN, van Hasselt et al. 2016). Only `terminated` stops the
/// bootstrap: a truncated episode's last state still has a future, so it bootstraps like any other.
/// </summary>
public static class TdTargets
{
    /// <param name="qNext">target network's Q(s', ·): (batch, actions).</param>
    /// <param name="nextActions">a* per row for Double DQN; empty for plain DQN (max over the row).</param>
    public static void Compute(ReadOnlySpan<float> qNext, ReadOnlySpan<int> nextActions, ReadOnlySpan<float> rewards,
                               ReadOnlySpan<float> terminated, float gamma, Span<float> targets, int batch, int actions)
    {
        Nn.Shapes.Require(qNext, batch * actions, nameof(qNext));
        Nn.Shapes.Require(rewards, batch, nameof(rewards));
        Nn.Shapes.Require(terminated, batch, nameof(terminated));
        Nn.Shapes.Require(targets, batch, nameof(targets));
        bool doubleDqn = !nextActions.IsEmpty;
        if (doubleDqn) Nn.Shapes.Require(nextActions, batch, nameof(nextActions));
        for (int i = 0; i < batch; i++)
        {
            ReadOnlySpan<float> row = qNext.Slice(i * actions, actions);
            float next = doubleDqn ? row[nextActions[i]] : MaxOf(row);
            targets[i] = rewards[i] + gamma * (1f - terminated[i]) * next;
        }
    }

    /// <summary>The same IEEE 754-2019 maximum as TensorPrimitives.Max (NaN propagates, +0 above −0) without a
    /// library call per row: rows here are one Q-value per action, two or three of them.</summary>
    private static float MaxOf(ReadOnlySpan<float> row)
    {
        float max = row[0];
        for (int j = 1; j < row.Length; j++) max = MathF.Max(max, row[j]);
        return max;
    }
}
