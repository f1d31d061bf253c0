using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Nn.Tests.Layers;

public sealed class DeterminismTests
{
    [Theory]
    [InlineData(InitScheme.TorchDefault)]
    [InlineData(InitScheme.XavierNormal)]
    [InlineData(InitScheme.Normal)]
    public void SameSeedGivesBitIdenticalWeights(InitScheme scheme)
    {
        float[] a = Weights(scheme, 42), b = Weights(scheme, 42), c = Weights(scheme, 43);
        Assert.Equal(Bits(a), Bits(b));
        Assert.NotEqual(Bits(a), Bits(c));
    }

    [Fact]
    public void SameSeedGivesBitIdenticalTraining()
    {
        var first = new TrainingFixture(new ManagedBlas(), 7);
        var second = new TrainingFixture(new ManagedBlas(), 7);
        for (int step = 0; step < 25; step++)
        {
            float lossA = first.Update(), lossB = second.Update();
            Assert.Equal(BitConverter.SingleToInt32Bits(lossA), BitConverter.SingleToInt32Bits(lossB));
        }
        Assert.Equal(Bits(first.Online.Parameters.Values.ToArray()), Bits(second.Online.Parameters.Values.ToArray()));
        Assert.Equal(Bits(first.Optimizer.ExpAvgSq.ToArray()), Bits(second.Optimizer.ExpAvgSq.ToArray()));
        // and the training actually moved the weights
        Assert.NotEqual(Bits(first.Online.Parameters.Values.ToArray()), Bits(first.Target.Parameters.Values.ToArray()));
    }

    private static float[] Weights(InitScheme scheme, int seed)
    {
        var mlp = new Mlp(new ManagedBlas(), 4, [8], 2, Activation.Relu, 1);
        mlp.Initialize(scheme, 1.0, new Random(seed));
        return mlp.Parameters.Values.ToArray();
    }

    private static int[] Bits(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
