using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Tests.Kernels;

namespace DqnStudy.Nn.Tests.Losses;

public sealed class DqnLossTests
{
    [Theory]
    [InlineData(LossKind.Mse, 1)]
    [InlineData(LossKind.Huber, 3)]
    [InlineData(LossKind.ClippedDelta, 3)]
    public void DqMatchesFiniteDifferencesAndIsZeroOffTheTakenAction(LossKind kind, int batch)
    {
        var rng = new Random(4);
        const int actions = 3;
        float[] q = FiniteDifference.Random(rng, batch * actions, 2);
        int[] taken = [.. Enumerable.Range(0, batch).Select(b => (b * 2 + 1) % actions)];
        float[] targets = [.. Enumerable.Range(0, batch).Select(b => q[b * actions + taken[b]] + (b % 2 == 0 ? 0.4f : -2.5f))];
        var loss = new DqnLoss(new TdLoss(kind), 8, actions);
        float[] dq = new float[q.Length];
        loss.Compute(q, taken, targets, dq, batch);
        float[] scratch = new float[q.Length];
        FiniteDifference.AssertGradient("dq", () => q, dq, () => loss.Compute(q, taken, targets, scratch, batch), eps: 1e-3);
        for (int b = 0; b < batch; b++)
        {
            for (int a = 0; a < actions; a++)
            {
                if (a != taken[b])
                {
                    Assert.Equal(0f, dq[b * actions + a]);
                }
            }
        }
        Assert.Equal(batch, loss.LastDelta.Length);
    }
}
