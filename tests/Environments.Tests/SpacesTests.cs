namespace DqnStudy.Environments.Tests;

public sealed class SpacesTests
{
    [Fact]
    public void DiscreteContainsExactlyItsRange()
    {
        var space = new Discrete(3, start: -1);
        Assert.True(space.Contains(-1));
        Assert.True(space.Contains(1));
        Assert.False(space.Contains(2));
        Assert.False(space.Contains(-2));
        Assert.Equal("Discrete(3, start=-1)", space.ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Discrete(0));
    }

    [Fact]
    public void DiscreteSampleIsSeededAndCoversTheSpace()
    {
        var space = new Discrete(3);
        int[] a = Enumerable.Range(0, 300).Select(_ => 0).ToArray();
        var rng1 = new Random(7);
        var rng2 = new Random(7);
        var seen = new HashSet<int>();
        for (int i = 0; i < a.Length; i++)
        {
            int s = space.Sample(rng1);
            Assert.Equal(s, space.Sample(rng2));
            Assert.True(space.Contains(s));
            seen.Add(s);
        }

        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void BoxContainsChecksLengthBoundsAndNaN()
    {
        var box = new Box([-1f, float.NegativeInfinity], [1f, float.PositiveInfinity]);
        Assert.True(box.Contains([1f, 1e30f]));
        Assert.False(box.Contains([1.0000001f, 0f]));
        Assert.False(box.Contains([float.NaN, 0f]));
        Assert.False(box.Contains([0f]));
        Assert.Equal([2], box.Shape);
        Assert.Throws<ArgumentException>(() => new Box([1f], [0f]));
        Assert.Throws<ArgumentException>(() => new Box(0f, 1f, [2, 3]).Sample(new Random(0), new float[5]));
    }

    [Fact]
    public void BoxSampleIsSeededAndInsideEveryEnvironmentsSpace()
    {
        foreach (EnvSpec spec in EnvironmentRegistry.Specs)
        {
            Box box = spec.ObservationSpace;
            float[] x = new float[box.Size];
            float[] y = new float[box.Size];
            var rng1 = new Random(3);
            var rng2 = new Random(3);
            for (int i = 0; i < 1000; i++)
            {
                box.Sample(rng1, x);
                box.Sample(rng2, y);
                Assert.Equal(x, y);
                Assert.True(box.Contains(x), $"{spec.Id}: sample [{string.Join(", ", x)}] outside {box}");
            }
        }
    }

    [Fact]
    public void BoxSampleSpreadsOverBoundedAndUnboundedComponents()
    {
        var box = new Box([0f, 5f, float.NegativeInfinity], [1f, float.PositiveInfinity, float.PositiveInfinity]);
        float[] x = new float[3];
        var rng = new Random(11);
        double sum0 = 0, min1 = double.MaxValue, sumSq2 = 0;
        const int n = 20000;
        for (int i = 0; i < n; i++)
        {
            box.Sample(rng, x);
            sum0 += x[0];
            min1 = Math.Min(min1, x[1]);
            sumSq2 += x[2] * x[2];
        }

        Assert.InRange(sum0 / n, 0.48, 0.52);   // uniform on [0, 1]
        Assert.True(min1 >= 5f);                // 5 + Exp(1)
        Assert.InRange(sumSq2 / n, 0.95, 1.05); // standard normal
    }
}
