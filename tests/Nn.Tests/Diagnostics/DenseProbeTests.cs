using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Nn.Tests.Diagnostics;

public sealed class DenseProbeTests
{
    [Fact]
    public void SgdStep_UpdateRatioIsLearningRateTimesGradNormOverWeightNorm()
    {
        var net = new Mlp(new ManagedBlas(), [LayerSpec.Dense(2), LayerSpec.Act(Activation.Relu), LayerSpec.Dense(1)], 2, 4);
        float[] w1 = [3, 4, 0, 0];   // ||W1|| = 5
        float[] g1 = [1, 0, 0, 2];   // ||dW1|| = √5
        float[] w2 = [1, 0];         // ||W2|| = 1
        float[] g2 = [0, -3];        // ||dW2|| = 3
        w1.CopyTo(net.DenseLayers[0].Weight);
        g1.CopyTo(net.DenseLayers[0].WeightGrad);
        w2.CopyTo(net.DenseLayers[1].Weight);
        g2.CopyTo(net.DenseLayers[1].WeightGrad);
        net.DenseLayers[0].BiasGrad[1] = -12f;   // bias norms: 12 and 0
        const float lr = 0.1f;
        var sgd = new Sgd(net.Parameters.Count, lr);

        var probe = new DenseProbe(net);
        probe.BeforeStep();
        sgd.Step(net.Parameters.Values, net.Parameters.Gradients);
        probe.AfterStep();

        DenseStats fc1 = probe.Layers[0], fc2 = probe.Layers[1];
        Assert.Equal("fc1", fc1.Name);
        Assert.Equal(Math.Sqrt(5), fc1.WeightGradNorm, 6);
        Assert.Equal(12.0, fc1.BiasGradNorm, 6);
        Assert.Equal(3.0, fc2.WeightGradNorm, 6);
        Assert.Equal(0.0, fc2.BiasGradNorm);
        Assert.Equal(lr * Math.Sqrt(5) / 5, fc1.UpdateRatio, 6);
        Assert.Equal(lr * 3.0 / 1, fc2.UpdateRatio, 6);
    }

    [Fact]
    public void ZeroWeights_GiveAnInfiniteRatioWhenTheyMove_AndZeroWhenTheyDoNot()
    {
        var net = new Mlp(new ManagedBlas(), [LayerSpec.Dense(1), LayerSpec.Act(Activation.Relu), LayerSpec.Dense(1)], 1, 1);
        net.DenseLayers[0].WeightGrad[0] = 1f;
        var probe = new DenseProbe(net);
        probe.BeforeStep();
        new Sgd(net.Parameters.Count, 0.5f).Step(net.Parameters.Values, net.Parameters.Gradients);
        probe.AfterStep();
        Assert.Equal(double.PositiveInfinity, probe.Layers[0].UpdateRatio);
        Assert.Equal(0.0, probe.Layers[1].UpdateRatio);
    }

    [Fact]
    public void AfterStepWithoutBeforeStep_Throws()
    {
        var net = new Mlp(new ManagedBlas(), [LayerSpec.Dense(1)], 1, 1);
        Assert.Throws<InvalidOperationException>(() => new DenseProbe(net).AfterStep());
    }

    [Fact]
    public void BeforeAndAfterStepAllocateNothing()
    {
        var net = new Mlp(new ManagedBlas(), [LayerSpec.Dense(8), LayerSpec.Act(Activation.Tanh), LayerSpec.Dense(2)], 4, 4);
        var probe = new DenseProbe(net);
        probe.BeforeStep();
        probe.AfterStep();
        long before = GC.GetAllocatedBytesForCurrentThread();
        probe.BeforeStep();
        probe.AfterStep();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
