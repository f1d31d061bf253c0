using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Environments.Tests.MinAtar;

/// <summary>The RandomState port against values numpy computed (NumpyKnownAnswers.cs, made by numpy_known_answers.py).</summary>
public sealed class NumpyRandomStateTests
{
    [Fact]
    public void IntSeedFillsTheStateAsInitGenrand()
    {
        foreach ((uint seed, uint[] head, uint last) in NumpyKnownAnswers.SeededKeys)
        {
            var state = new NumpyRandomState(seed);
            Assert.Equal(head, state.Generator.Key[..4].ToArray());
            Assert.Equal(last, state.Generator.Key[^1]);
            Assert.Equal(Mt19937.StateLength, state.Generator.Position);
        }
    }

    [Fact]
    public void ArraySeedFillsTheStateAsInitByArray()
    {
        foreach ((long[] seed, uint[] head, double[] rand) in NumpyKnownAnswers.ArraySeeds)
        {
            var state = NumpyRandomState.FromArray(seed);
            Assert.Equal(head, state.Generator.Key[..4].ToArray());
            double[] drawn = new double[rand.Length];
            state.Rand(drawn);
            Assert.Equal(rand, drawn);
        }
    }

    [Fact]
    public void RandAndRandIntStreamsMatchNumpy()
    {
        foreach ((uint seed, var calls) in NumpyKnownAnswers.Streams)
        {
            var state = new NumpyRandomState(seed);
            int index = 0;
            foreach ((bool randInt, long low, long high, int size, double[] doubles, long[] ints) in calls)
            {
                string where = $"RandomState({seed}) call {index++}";
                if (!randInt)
                {
                    double[] got = size < 0 ? [state.Rand()] : new double[size];
                    if (size >= 0)
                    {
                        state.Rand(got);
                    }

                    Assert.True(doubles.SequenceEqual(got), $"{where}: rand gave [{string.Join(", ", got)}], numpy [{string.Join(", ", doubles)}]");
                }
                else
                {
                    long[] got = size < 0 ? [state.RandInt(low, high)] : new long[size];
                    if (size >= 0)
                    {
                        state.RandInt(low, high, got);
                    }

                    Assert.True(ints.SequenceEqual(got), $"{where}: randint({low}, {high}) gave [{string.Join(", ", got)}], numpy [{string.Join(", ", ints)}]");
                }
            }
        }
    }

    [Fact]
    public void ManyDrawsCrossTwistsAsNumpyDoes()
    {
        var state = new NumpyRandomState(123);
        double[] all = new double[1005];
        state.Rand(all);
        Assert.Equal(NumpyKnownAnswers.AfterTwists, all[1000..]);
    }

    [Fact]
    public void SeedRestartsTheStream()
    {
        var state = new NumpyRandomState(77);
        double first = state.Rand();
        state.Rand();
        state.Seed(77);
        Assert.Equal(first, state.Rand());
    }

    [Fact]
    public void RandIntOfOneValueDrawsNothing()
    {
        var a = new NumpyRandomState(3);
        var b = new NumpyRandomState(3);
        Assert.Equal(4, a.RandInt(4, 5));
        Assert.Equal(b.Rand(), a.Rand());
    }

    [Fact]
    public void BadArgumentsThrowNamingTheRule()
    {
        var state = new NumpyRandomState(0);
        Assert.Contains("low >= high", Assert.Throws<ArgumentOutOfRangeException>(() => state.RandInt(3, 3)).Message);
        Assert.Contains("2**32 - 1", Assert.Throws<ArgumentOutOfRangeException>(() => NumpyRandomState.FromSeed(-1)).Message);
        Assert.Contains("2**32 - 1", Assert.Throws<ArgumentOutOfRangeException>(() => NumpyRandomState.FromArray([1, 1L << 32])).Message);
        Assert.Throws<ArgumentException>(() => NumpyRandomState.FromArray([]));
    }

    [Fact]
    public void UnseededStatesDiffer()
    {
        Assert.NotEqual(new NumpyRandomState().Rand(), new NumpyRandomState().Rand());
    }
}
