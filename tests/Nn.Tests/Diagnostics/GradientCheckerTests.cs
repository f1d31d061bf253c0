using DqnStudy.Nn.Diagnostics;

namespace DqnStudy.Nn.Tests.Diagnostics;

/// <summary>The float-tensor entry of the one gradient checker (the kernel, layer and cell tests use it): it passes a
/// right gradient and fails a wrong one at the element that is wrong.</summary>
public sealed class GradientCheckerTests
{
    // L = Σ sin(w_i)·(i + 1), so dL/dw_i = cos(w_i)·(i + 1).
    private static (float[] W, float[] Gradient, Func<double> Loss) Problem()
    {
        var rng = new Random(3);
        float[] w = [.. Enumerable.Range(0, 40).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        float[] gradient = [.. w.Select((v, i) => (float)(Math.Cos(v) * (i + 1)))];
        double Loss() => w.Select((v, i) => Math.Sin(v) * (i + 1)).Sum();
        return (w, gradient, Loss);
    }

    [Fact]
    public void ARightGradientPasses()
    {
        var (w, gradient, loss) = Problem();
        TensorCheck result = GradientChecker.CheckTensor("w", w, gradient, loss);
        Assert.True(result.Passed, $"rel {result.MaxRelativeError:E2} at {result.WorstIndex}");
        Assert.Equal(w.Length, result.Checked);
    }

    [Theory]
    [InlineData(7, 1.1f)]     // one element 10% off
    [InlineData(31, -1f)]     // one element with the wrong sign
    public void AWrongElementFailsAtThatElement(int index, float factor)
    {
        var (w, gradient, loss) = Problem();
        gradient[index] *= factor;
        TensorCheck result = GradientChecker.CheckTensor("w", w, gradient, loss);
        Assert.False(result.Passed);
        Assert.Equal(index, result.WorstIndex);
    }

    [Fact]
    public void MaxChecksSpreadsTheCheckedElements()
    {
        var (w, gradient, loss) = Problem();
        Assert.Equal(10, GradientChecker.CheckTensor("w", w, gradient, loss, maxChecks: 10).Checked);
    }

    [Theory]
    [InlineData(512, 512)]
    [InlineData(256, 256)]
    [InlineData(120, 84)]
    public void VisitedElementsSpreadOverRowsAndColumnsOfAWeightMatrix(int rows, int columns)
    {
        // An even stride that is a multiple of the row length visits one column only: every other input unit unchecked.
        int[] visited = GradientChecker.Visited(rows * columns, 64).ToArray();
        Assert.Equal(64, visited.Distinct().Count());
        Assert.All(visited, i => Assert.InRange(i, 0, rows * columns - 1));
        Assert.True(visited.Select(i => i % columns).Distinct().Count() >= 32, "visited elements share too few columns");
        Assert.True(visited.Select(i => i / columns).Distinct().Count() >= Math.Min(rows, 32), "visited elements share too few rows");
        Assert.Equal(Enumerable.Range(0, 10), GradientChecker.Visited(10, 64));   // a short tensor: every element
    }
}
