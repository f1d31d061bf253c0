using DqnStudy.Agent.Dqn;

namespace DqnStudy.Agent.Tests.Dqn;

public sealed class TdTargetsTests
{
    // Q_target(s', ·) for three rows, two actions.
    private static readonly float[] QNext = [1f, 5f, 7f, 2f, -3f, -1f];
    private static readonly float[] Rewards = [1f, 1f, 1f];

    [Fact]
    public void TerminatedTransitionsDoNotBootstrapAndTruncatedOnesDo()
    {
        // Row 0 ran on, row 1 terminated, row 2 was truncated by the time limit (terminated = 0: it bootstraps).
        float[] terminated = [0f, 1f, 0f];
        var targets = new float[3];
        TdTargets.Compute(QNext, default, Rewards, terminated, 0.9f, targets, 3, 2);
        Assert.Equal(1f + 0.9f * 5f, targets[0]);
        Assert.Equal(1f, targets[1]);
        Assert.Equal(1f + 0.9f * -1f, targets[2]);
    }

    [Fact]
    public void DoubleDqnEvaluatesTheOnlineNetworksChoiceWithTheTargetNetwork()
    {
        int[] onlineChoice = [0, 1, 0];
        var targets = new float[3];
        TdTargets.Compute(QNext, onlineChoice, Rewards, [0f, 0f, 0f], 0.5f, targets, 3, 2);
        Assert.Equal(1f + 0.5f * 1f, targets[0]);   // not the max (5)
        Assert.Equal(1f + 0.5f * 2f, targets[1]);
        Assert.Equal(1f + 0.5f * -3f, targets[2]);
    }

    [Fact]
    public void TooShortTargetsAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => TdTargets.Compute(QNext, default, Rewards, [0f, 0f, 0f], 0.9f, new float[2], 3, 2));
        Assert.Equal("targets", e.ParamName);
    }
}
