using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Tests.Kernels;

namespace DqnStudy.Nn.Tests.Losses;

public sealed class TdLossTests
{
    // TD errors away from the ±1 boundaries (and 0 for nothing here is kinked at 0).
    private static readonly float[] Targets = [0.3f, -2.5f, 1.7f, 4f, -0.6f, 0.05f, -1.4f];
    private static readonly float[] Preds = [0.1f, 0.5f, -0.2f, 0.2f, 0.1f, -0.3f, 0.2f];

    [Theory]
    [InlineData(LossKind.Mse)]
    [InlineData(LossKind.Huber)]
    [InlineData(LossKind.ClippedDelta)]
    [InlineData(LossKind.DeepMindClamp)]
    public void DpredMatchesFiniteDifferences(LossKind kind)
    {
        var loss = new TdLoss(kind);
        float[] pred = (float[])Preds.Clone();
        float[] dpred = new float[pred.Length];
        loss.Compute(pred, Targets, dpred, out _);
        float[] scratch = new float[pred.Length];
        // The value of DeepMindClamp is Huber's, so finite differences of it check the gradient too.
        FiniteDifference.AssertGradient("dpred", () => pred, dpred, () => loss.Compute(pred, Targets, scratch, out _), eps: 1e-3);
    }

    [Fact]
    public void DeepMindClampEqualsHuberExactly()
    {
        var rng = new Random(8);
        float[] pred = FiniteDifference.Random(rng, 64, 3), target = FiniteDifference.Random(rng, 64, 3);
        float[] huberGrad = new float[64], clampGrad = new float[64];
        float huber = new TdLoss(LossKind.Huber).Compute(pred, target, huberGrad, out LossStats huberStats);
        float clamp = new TdLoss(LossKind.DeepMindClamp).Compute(pred, target, clampGrad, out LossStats clampStats);
        Assert.Equal(huber, clamp);
        Assert.Equal(huberGrad, clampGrad);
        Assert.Equal(huberStats.ClippedCount, clampStats.ClippedCount);
        Assert.True(huberStats.ClippedCount > 0);
    }

    [Fact]
    public void TheBugZeroesTheLargestErrorsWhereHuberClipsThem()
    {
        float[] pred = [0f, 0f, 0f, 0f];
        float[] target = [0.5f, 1f, 3f, -5f];
        float[] bug = new float[4], huber = new float[4];
        new TdLoss(LossKind.ClippedDelta).Compute(pred, target, bug, out LossStats bugStats);
        new TdLoss(LossKind.Huber).Compute(pred, target, huber, out LossStats huberStats);
        // mean over 4: bug −2·clamp(d)/4 inside [−1,1] (boundary included, as torch.clamp), 0 beyond.
        Assert.Equal([-0.25f, -0.5f, 0f, 0f], bug);
        Assert.Equal([-0.125f, -0.25f, -0.25f, 0.25f], huber);
        Assert.Equal(2, bugStats.ZeroedCount);
        Assert.Equal(0.5, bugStats.ZeroedShare);
        Assert.Equal(0, bugStats.ClippedCount);
        Assert.Equal(2, huberStats.ClippedCount);
        Assert.Equal(0, huberStats.ZeroedCount);
        Assert.Equal(5.0, huberStats.AbsDeltaMax);
        Assert.Equal((0.5 + 1 + 3 + 5) / 4, huberStats.AbsDeltaMean, 6);
        Assert.Equal((0.5 + 1 + 3 - 5) / 4, huberStats.DeltaMean, 6);
    }

    [Fact]
    public void SumReductionDropsTheOneOverB()
    {
        float[] pred = [0f, 0f], target = [1f, 2f], dpred = new float[2];
        float mean = new TdLoss(LossKind.Mse).Compute(pred, target, dpred, out _);
        float sum = new TdLoss(LossKind.Mse, 1f, LossReduction.Sum).Compute(pred, target, dpred, out _);
        Assert.Equal(2.5f, mean);
        Assert.Equal(5f, sum);
        Assert.Equal([-2f, -4f], dpred);
    }

    [Theory]
    [InlineData(LossKind.Mse)]
    [InlineData(LossKind.Huber)]
    [InlineData(LossKind.ClippedDelta)]
    [InlineData(LossKind.DeepMindClamp)]
    public void ANonFiniteTdErrorGivesANonFiniteLoss_NotAnException(LossKind kind)
    {
        // The trainer names a numerical fault from a non-finite loss; the loss must get that far.
        var loss = new TdLoss(kind);
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            float[] pred = [0.5f, bad], target = [1f, 2f], dpred = new float[2];
            float value = loss.Compute(pred, target, dpred, out _);
            Assert.False(float.IsFinite(value) && float.IsNaN(bad), $"{kind}: NaN gave loss {value}");
            if (kind != LossKind.ClippedDelta) Assert.True(float.IsNaN(value) || float.IsInfinity(value), $"{kind}: {bad} gave loss {value}");
        }
    }

    [Fact]
    public void HuberOutsideTheBoundIsMinusDeltaTimesTheSign()
    {
        var huber = new TdLoss(LossKind.Huber, 2f);
        Assert.Equal(-2f, huber.ElementGradient(5f));
        Assert.Equal(2f, huber.ElementGradient(-5f));
        Assert.True(float.IsNaN(huber.ElementGradient(float.NaN)));
    }
}
