using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Tests.Blas;
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
        for (int i = 0; i < 40; i++)
        {
            fixture.Update();   // warm-up past tier-1 promotion (30 calls), so a rejit under load is not counted
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

    /// <summary>A MinAtar update (target forward, online forward, Huber DqnLoss, backward, centred RMSProp with momentum)
    /// through the direct convolution (on x, and on a padded copy) and the patch-matrix one (stride 2), on every provider.</summary>
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 0)]
    public void AConvUpdateAllocatesNothingAfterWarmUp(int stride, int padding)
    {
        const int batch = 8, actions = 3;
        var image = new ImageShape(4, 10, 10);
        LayerSpec[] specs = [LayerSpec.Conv2d(16, 3, stride, padding), .. ConvNetworkTests.MinAtar(actions)[1..]];
        foreach (IBlas blas in TestProviders.All())
        {
            var rng = new Random(4);
            var online = new Mlp(blas, specs, image, batch);
            online.Initialize(InitScheme.TorchDefault, 1.0, rng);
            Mlp target = online.Clone();
            var loss = new DqnLoss(new TdLoss(LossKind.Huber), batch, actions);
            var optimizer = new RmsProp(online.Parameters.Count, 2.5e-4f, 0.95f, 0.01f, momentum: 0.95f, centered: true);
            float[] states = Kernels.FiniteDifference.Random(rng, batch * image.Size), targets = new float[batch], dq = new float[batch * actions];
            int[] taken = [.. Enumerable.Range(0, batch).Select(i => i % actions)];
            void Update()
            {
                ReadOnlySpan<float> next = target.Forward(states, batch);
                for (int b = 0; b < batch; b++)
                {
                    targets[b] = 1f + 0.99f * next[b * actions];
                }
                online.ZeroGrad();
                loss.Compute(online.Forward(states, batch), taken, targets, dq, batch);
                online.Backward(dq, batch);
                optimizer.Step(online.Parameters.Values, online.Parameters.Gradients);
                online.Forward(states.AsSpan(0, image.Size), 1);   // the acting forward
            }
            for (int i = 0; i < 40; i++)
            {
                Update();   // warm-up past tier-1 promotion (30 calls), so a rejit under load is not counted
            }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                Update();
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{TestProviders.Label(blas)}, stride {stride}, padding {padding}: the update allocated {allocated} bytes.");
        }
    }
}
