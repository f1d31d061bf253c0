using DqnStudy.Nn.Optim;

namespace DqnStudy.Nn.Tests.Optim;

public sealed class OptimizerTests
{
    [Fact]
    public void DeepMindRmsPropFollowsTheNatureDqnFormula()
    {
        float[] p = [1f, -2f, 0.5f];
        float[][] grads = [[0.3f, -1.2f, 0f], [2f, 0.1f, -0.4f], [-0.5f, 0.5f, 0.5f]];
        double[] pd = [1, -2, 0.5], v = new double[3], gbar = new double[3];
        var optimizer = new DeepMindRmsProp(3, 0.1f);
        foreach (float[] g in grads)
        {
            optimizer.Step(p, g);
            for (int i = 0; i < 3; i++)
            {
                v[i] = 0.95 * v[i] + 0.05 * g[i] * g[i];
                gbar[i] = 0.95 * gbar[i] + 0.05 * g[i];
                pd[i] -= 0.1 * g[i] / Math.Sqrt(v[i] - gbar[i] * gbar[i] + 0.01);
            }
        }
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(pd[i], p[i], 5);
        }
        Assert.Equal(3, optimizer.StepCount);
    }

    [Fact]
    public void ClipByValueClampsAndClipGlobalNormScalesOnlyAboveTheMax()
    {
        float[] g = [3f, -4f, 0.5f];
        GradientClipping.ClipByValue(g, 1f);
        Assert.Equal([1f, -1f, 0.5f], g);

        float[] big = [3f, 4f];
        float norm = GradientClipping.ClipGlobalNorm(big, 1f);
        Assert.Equal(5f, norm);
        Assert.Equal(1.0, Math.Sqrt(big[0] * big[0] + big[1] * big[1]), 5);

        float[] small = [0.3f, 0.4f];
        Assert.Equal(0.5f, GradientClipping.ClipGlobalNorm(small, 1f), 6);
        Assert.Equal([0.3f, 0.4f], small);
    }

    [Fact]
    public void VectorisedAdamEqualsTheScalarUpdateBitForBit()
    {
        const int n = 37;   // several SIMD vectors plus a scalar tail
        var rng = new Random(9);
        float[] p = [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble())];
        float[] single = (float[])p.Clone();
        var vectorised = new Adam(n, 0.01f, weightDecay: 0.1f);
        Adam[] scalars = [.. Enumerable.Range(0, n).Select(_ => new Adam(1, 0.01f, weightDecay: 0.1f))];   // n = 1: tail only
        for (int step = 0; step < 4; step++)
        {
            float[] g = [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f)];
            vectorised.Step(p, g);
            for (int i = 0; i < n; i++)
            {
                scalars[i].Step(single.AsSpan(i, 1), g.AsSpan(i, 1));
            }
        }
        Assert.Equal(Array.ConvertAll(single, BitConverter.SingleToInt32Bits), Array.ConvertAll(p, BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void GlobalNormDoesNotOverflowFloat()
    {
        float[] huge = [3e30f, 4e30f];
        Assert.Equal(5e30f, GradientClipping.GlobalNorm(huge), 1e24f);
    }
}
