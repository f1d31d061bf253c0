using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

public sealed class CurveAlignerTests
{
    [Fact]
    public void StepHold_TakesLastValueAtOrBefore()
    {
        double[] held = CurveAligner.StepHold([10, 20, 30], [1, 2, 3], [5, 10, 15, 30, 40]);
        Assert.True(double.IsNaN(held[0]));
        Assert.Equal([1.0, 1.0, 3.0, 3.0], held[1..]);
    }

    [Fact]
    public void RollingMean_UsesTheLastWindowEpisodes()
    {
        Assert.Equal([1.0, 1.5, 2.5, 3.5], CurveAligner.RollingMean([1, 2, 3, 4], 2));
        double[] returns = Enumerable.Range(1, 150).Select(i => (double)i).ToArray();
        double[] smoothed = CurveAligner.RollingMean(returns, CurveAligner.TrainReturnWindow);
        Assert.Equal(50.5, smoothed[99], 10);         // mean of 1..100
        Assert.Equal(100.5, smoothed[149], 10);       // mean of 51..150
    }

    [Fact]
    public void Align_SeedsWithDifferentEpisodeBoundariesAverageCorrectly()
    {
        using var runs = new SyntheticRuns();
        // Same constant return, different episode lengths: the aligned curves must all be that constant.
        runs.WriteSeed("a", 0, 20, totalSteps: 10_000, episodeLength: 20);
        runs.WriteSeed("a", 1, 20, totalSteps: 10_000, episodeLength: 37);
        runs.WriteSeed("b", 0, 70, totalSteps: 10_000, episodeLength: 50);
        LoadResult load = RunGroupLoader.Load([runs.Path_("a"), runs.Path_("b")], []);
        Alignment alignment = CurveAligner.Align(load.Groups, CurveAligner.TrainReturn, gridPoints: 50);

        Assert.Equal(50, alignment.Grid.Length);
        Assert.Equal(50, alignment.Grid[0]);                          // latest first episode end (seed b)
        Assert.Equal(10_000 - 10_000 % 37, alignment.Grid[^1]);       // earliest last episode end
        Assert.All(alignment.Groups[0].Curves.SelectMany(c => c), v => Assert.Equal(20, v));
        Assert.All(alignment.Groups[1].Curves.SelectMany(c => c), v => Assert.Equal(70, v));
    }

    [Fact]
    public void Align_ProgressColumnSkipsEmptyCellsAndUnknownColumnIsANote()
    {
        using var runs = new SyntheticRuns();
        runs.WriteSeed("a", 0, 20);
        LoadResult load = RunGroupLoader.Load([runs.Path_("a")], []);
        Alignment loss = CurveAligner.Align(load.Groups, "loss", 10);
        Assert.Equal(2_000, loss.Grid[0]);                            // the first loss cell is empty
        Assert.Equal(1.0 / 10_000, loss.Groups[0].Curves[0][^1], 12);

        Alignment missing = CurveAligner.Align(load.Groups, "no_such_column", 10);
        Assert.Empty(missing.Groups);
        Assert.Contains(missing.Problems, p => p.Contains("progress.csv has no 'no_such_column' column", StringComparison.Ordinal));
    }

    [Fact]
    public void Align_LeavesOutASeedKilledEarly()
    {
        using var runs = new SyntheticRuns();
        runs.WriteSeed("a", 0, 20);
        runs.WriteSeed("a", 1, 20);
        string killed = runs.WriteSeed("a", 2, 20, totalSteps: 2_000);
        Alignment alignment = CurveAligner.Align(RunGroupLoader.Load([runs.Path_("a")], []).Groups, CurveAligner.EvalReturn, 10);
        Assert.Equal(2, alignment.Groups[0].Curves.Length);
        Assert.Equal(10_000, alignment.Grid[^1]);
        Assert.Contains(alignment.Problems, p => p.StartsWith(killed, StringComparison.Ordinal));
    }

    [Fact]
    public void Align_GroupsOfDifferentLengthsShareTheirCommonRange()
    {
        using var runs = new SyntheticRuns();
        runs.WriteSeed("long", 0, 20, totalSteps: 40_000);
        runs.WriteSeed("short", 0, 30, totalSteps: 10_000);
        Alignment alignment = CurveAligner.Align(RunGroupLoader.Load([runs.Path_("long"), runs.Path_("short")], []).Groups, CurveAligner.EvalReturn, 10);
        Assert.Equal(2, alignment.Groups.Count);
        Assert.Equal(10_000, alignment.Grid[^1]);
        Assert.Empty(alignment.Problems);
    }
}
