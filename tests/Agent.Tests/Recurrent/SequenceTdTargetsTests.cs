using DqnStudy.Agent.Dqn.Recurrent;

namespace DqnStudy.Agent.Tests.Recurrent;

public sealed class SequenceTdTargetsTests
{
    [Fact]
    public void TerminatedStepsStopTheBootstrapAndTruncatedStepsDoNot()
    {
        // One sequence (B = 1) of T = 3 steps, 2 actions: step 1 truncated, step 2 terminated.
        const int steps = 3, actions = 2;
        var batch = new SequenceBatch(1, steps, 1);
        batch.Rewards[0] = 1f; batch.Rewards[1] = 2f; batch.Rewards[2] = 3f;
        batch.Terminated[2] = 1f;
        // Target unroll rows 0..3; row t+1 is Q(next observation of step t). Row 0 must be ignored.
        float[] q = [100f, 100f, /* t=0 next */ 5f, 7f, /* t=1 next */ -1f, 4f, /* t=2 next */ 50f, 60f];
        var targets = new float[steps];
        SequenceTdTargets.Compute(q, default, batch, 0.5f, targets, steps, 1, actions);
        Assert.Equal(1f + 0.5f * 7f, targets[0]);
        Assert.Equal(2f + 0.5f * 4f, targets[1]);   // truncated: still bootstraps
        Assert.Equal(3f, targets[2]);               // terminated: the bare reward

        // Double DQN: the online net's argmax picks the action the target net values.
        var next = new int[steps];
        float[] online = [0f, 0f, 9f, 0f, 9f, 0f, 0f, 9f];
        SequenceTdTargets.GreedyNextActions(online, next, steps, 1, actions);
        Assert.Equal([0, 0, 1], next);
        SequenceTdTargets.Compute(q, next, batch, 0.5f, targets, steps, 1, actions);
        Assert.Equal(1f + 0.5f * 5f, targets[0]);
        Assert.Equal(2f + 0.5f * -1f, targets[1]);
        Assert.Equal(3f, targets[2]);
    }

    [Fact]
    public void TimeMajorRowsLineUpAcrossTheBatch()
    {
        // B = 2, T = 2, 1 action: target for (t, b) reads unroll row (t+1, b).
        var batch = new SequenceBatch(2, 2, 1);
        float[] q = [0f, 0f, 10f, 20f, 30f, 40f];
        var targets = new float[4];
        SequenceTdTargets.Compute(q, default, batch, 1f, targets, 2, 2, 1);
        Assert.Equal([10f, 20f, 30f, 40f], targets);
    }
}
