using DqnStudy.Agent.Dqn;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Tests.Dqn;

public sealed class IntervalStatsTests
{
    [Fact]
    public void CountsTerminalSamplesOutOfTheBandAndTheirQ()
    {
        // q_taken = 0.5, 3, 4, 0.2 (one action); targets 1 everywhere → delta = 0.5, -2, -3, 0.8.
        float[] q = [0.5f, 3f, 4f, 0.2f];
        float[] targets = [1f, 1f, 1f, 1f];
        int[] actions = [0, 0, 0, 0];
        float[] terminated = [1f, 1f, 1f, 0f];
        var loss = new DqnLoss(new TdLoss(LossKind.ClippedDelta), 4, 1);
        float value = loss.Compute(q, actions, targets, new float[4], 4);
        var stats = new IntervalStats(layers: 1);

        stats.AddUpdate(loss, value, gradNorm: 2.0, groupSquares: [4.0], terminated, samples: 4, band: 1f);

        Assert.Equal(3, stats.TerminalSamples);
        Assert.Equal(2, stats.TerminalOutOfBand);            // |delta| = 2 and 3 are out; 0.5 is in
        Assert.Equal(2, stats.ZeroedSamples);                // the bug zeroes both |delta| > 1 samples
        Assert.Equal(0.5 + 3.0 + 4.0, stats.TerminalQSum, 6);
        Assert.Equal(0.5 + 3 + 4 + 0.2, stats.QTakenSum, 5);
        Assert.Equal(2.0, stats.LayerGradNormSums[0], 12);
        Assert.Equal(2.0 / 3, stats.Mean(stats.TerminalOutOfBand, stats.TerminalSamples), 12);
    }
}
