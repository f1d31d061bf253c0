using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Nn.Tests.Layers;

public sealed class AllocationTests
{
    [Theory]
    [InlineData(LossKind.Huber)]
    [InlineData(LossKind.ClippedDelta)]
    public void AnUpdateAllocatesNothingAfterWarmUp(LossKind loss)
    {
        var fixture = new TrainingFixture(new ManagedBlas(), 3, loss);
        for (int i = 0; i < 3; i++)
        {
            fixture.Update();   // warm-up: JIT, tiering
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            fixture.Update();
            GradientClipping.ClipGlobalNorm(fixture.Online.Parameters.Gradients, 10f);
            fixture.Target.SoftUpdateFrom(fixture.Online, 0.01f);
        }
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
    }
}
