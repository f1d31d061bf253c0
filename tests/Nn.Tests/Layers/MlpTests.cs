using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Nn.Tests.Layers;

public sealed class MlpTests
{
    [Fact]
    public void LayersAreNamedAndLaidOutAsTorch()
    {
        var mlp = new Mlp(new ManagedBlas(), 4, [120, 84], 2, Activation.Relu, 128);
        Assert.Equal(["fc1", "act1", "fc2", "act2", "fc3"], mlp.Layers.Select(l => l.Name));
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"], mlp.Parameters.Views.Select(v => v.Name));
        Assert.Equal(4 * 120 + 120 + 120 * 84 + 84 + 84 * 2 + 2, mlp.Parameters.Count);
        ParameterView w2 = mlp.Parameters.Views[2];
        Assert.Equal((84, 120, 4 * 120 + 120), (w2.Rows, w2.Cols, w2.Offset));
        Assert.Equal(4, mlp.InputSize);
        Assert.Equal(2, mlp.OutputSize);
        mlp.DenseLayers[1].Weight[0] = 5f;
        Assert.Equal(5f, mlp.Parameters.Values[w2.Offset]);   // views, not copies
    }

    [Fact]
    public void CloneCopyAndSoftUpdate()
    {
        var online = new Mlp(new ManagedBlas(), 3, [5], 2, Activation.Tanh, 4);
        online.Initialize(InitScheme.TorchDefault, 1.0, new Random(1));
        Mlp target = online.Clone();
        Assert.Equal(online.Parameters.Values.ToArray(), target.Parameters.Values.ToArray());
        float[] x = [0.1f, -0.2f, 0.3f];
        Assert.Equal(online.Forward(x, 1).ToArray(), target.Forward(x, 1).ToArray());

        online.Initialize(InitScheme.TorchDefault, 1.0, new Random(2));
        float[] before = target.Parameters.Values.ToArray(), source = online.Parameters.Values.ToArray();
        target.SoftUpdateFrom(online, 0.25f);
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(0.25f * source[i] + 0.75f * before[i], target.Parameters.Values[i], 6);
        }
        target.CopyParametersFrom(online);
        Assert.Equal(source, target.Parameters.Values.ToArray());
        Assert.NotSame(online.Parameters, target.Parameters);
    }

    [Fact]
    public void InitializeDrawsPerScheme()
    {
        var mlp = new Mlp(new ManagedBlas(), 64, [256], 4, Activation.Relu, 1);
        mlp.Initialize(InitScheme.TorchDefault, 1.0, new Random(5));
        Dense fc1 = mlp.DenseLayers[0];
        float bound = 1f / MathF.Sqrt(64);
        Assert.All(fc1.Weight.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.All(fc1.Bias.ToArray(), b => Assert.InRange(b, -bound, bound));
        Assert.InRange(Variance(fc1.Weight.ToArray()), 0.9 * bound * bound / 3, 1.1 * bound * bound / 3);   // U(±a): a²/3

        mlp.Initialize(InitScheme.KaimingNormal, 1.0, new Random(5));
        Assert.InRange(Variance(fc1.Weight.ToArray()), 0.9 * 2.0 / 64, 1.1 * 2.0 / 64);
        Assert.All(fc1.Bias.ToArray(), b => Assert.Equal(0f, b));

        mlp.Initialize(InitScheme.Normal, 10.0, new Random(5));   // the sigmoid study's large weights
        Assert.InRange(Variance(fc1.Weight.ToArray()), 0.9 * 100, 1.1 * 100);

        mlp.Initialize(InitScheme.XavierUniform, 2.0, new Random(5));
        double a = 2.0 * Math.Sqrt(6.0 / (64 + 256));
        Assert.All(fc1.Weight.ToArray(), w => Assert.InRange(w, -a, a));
        Assert.InRange(Variance(fc1.Weight.ToArray()), 0.9 * a * a / 3, 1.1 * a * a / 3);
    }

    private static double Variance(float[] values)
    {
        double mean = values.Average(v => (double)v);
        return values.Average(v => (v - mean) * (v - mean));
    }
}
