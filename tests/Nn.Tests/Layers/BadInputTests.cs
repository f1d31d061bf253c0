using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Nn.Tests.Layers;

/// <summary>Wrong sizes throw an exception that names the argument and both sizes.</summary>
public sealed class BadInputTests
{
    private static void AssertNames<T>(Action action, string argument, params string[] sizes) where T : ArgumentException
    {
        T e = Assert.Throws<T>(action);
        Assert.Equal(argument, e.ParamName);
        foreach (string size in sizes)
        {
            Assert.Contains(size, e.Message);
        }
    }

    [Fact]
    public void DenseForwardRejectsShortInput()
    {
        var layer = new Dense("fc1", new ManagedBlas(), 4, 3, 8);
        AssertNames<ArgumentException>(() => layer.Forward(new float[7], 2), "x", "7", "8");
    }

    [Fact]
    public void DenseBackwardRejectsShortDyAndDx()
    {
        var layer = new Dense("fc1", new ManagedBlas(), 4, 3, 8);
        layer.Forward(new float[8], 2);
        AssertNames<ArgumentException>(() => layer.Backward(new float[5], new float[8], 2), "dy", "5", "6");
        AssertNames<ArgumentException>(() => layer.Backward(new float[6], new float[3], 2), "dx", "3", "8");
    }

    [Fact]
    public void BatchAboveMaxBatchIsRejected()
    {
        var mlp = new Mlp(new ManagedBlas(), 4, [8], 2, Activation.Relu, 16);
        AssertNames<ArgumentOutOfRangeException>(() => mlp.Forward(new float[4 * 17], 17), "batch", "17", "16");
    }

    [Fact]
    public void MlpRejectsShortInputAndOutputGradient()
    {
        var mlp = new Mlp(new ManagedBlas(), 4, [8], 2, Activation.Relu, 16);
        AssertNames<ArgumentException>(() => mlp.Forward(new float[10], 3), "x", "10", "12");
        mlp.Forward(new float[12], 3);
        AssertNames<ArgumentException>(() => mlp.Backward(new float[5], 3), "dy", "5", "6");
        AssertNames<ArgumentException>(() => mlp.Backward(new float[6], new float[11], 3), "dx", "11", "12");
    }

    [Fact]
    public void LinearKernelRejectsShortWeights()
    {
        AssertNames<ArgumentException>(() => Linear.Forward(new ManagedBlas(), new float[6], new float[5], new float[2], new float[4], 2, 3, 2),
            "w", "5", "6");
    }

    [Fact]
    public void LossesRejectMismatchedSizesAndBadActions()
    {
        var td = new TdLoss(LossKind.Huber);
        AssertNames<ArgumentException>(() => td.Compute(new float[4], new float[3], new float[4], out _), "target", "3", "4");
        AssertNames<ArgumentException>(() => td.Compute(new float[4], new float[4], new float[2], out _), "dpred", "2", "4");
        var dqn = new DqnLoss(td, 8, 3);
        AssertNames<ArgumentException>(() => dqn.Compute(new float[6], new int[2], new float[1], new float[6], 2), "targets", "1", "2");
        AssertNames<ArgumentException>(() => dqn.Compute(new float[5], new int[2], new float[2], new float[6], 2), "q", "5", "6");
        AssertNames<ArgumentOutOfRangeException>(() => dqn.Compute(new float[6], [0, 3], new float[2], new float[6], 2), "actions", "3", "0..2");
    }

    [Fact]
    public void OptimisersRejectWrongLengths()
    {
        var adam = new Adam(10, 1e-3f);
        AssertNames<ArgumentException>(() => adam.Step(new float[9], new float[10]), "parameters.Length", "9", "10");
        AssertNames<ArgumentException>(() => adam.Step(new float[10], new float[11]), "gradients.Length", "11", "10");
    }

    [Fact]
    public void CopyingBetweenDifferentArchitecturesIsRejected()
    {
        var a = new Mlp(new ManagedBlas(), 4, [8], 2, Activation.Relu, 4);
        var b = new Mlp(new ManagedBlas(), 4, [9], 2, Activation.Relu, 4);
        AssertNames<ArgumentException>(() => a.CopyParametersFrom(b), "source", "fc 9", "fc 8");
        AssertNames<ArgumentException>(() => a.SoftUpdateFrom(b, 0.1f), "source", "fc 9", "fc 8");
    }
}
