using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

public sealed class ComparisonStatisticsTests
{
    [Fact]
    public void GroupsShiftedByAKnownAmount()
    {
        using var runs = new SyntheticRuns();
        double[] baseReturns = [100, 120, 140, 160, 180];
        for (int s = 0; s < baseReturns.Length; s++)
        {
            runs.WriteSeed("low", s, baseReturns[s], zeroed: 0.25);
            runs.WriteSeed("high", s, baseReturns[s] + 50);
        }
        var load = RunGroupLoader.Load([runs.Path_("high"), runs.Path_("low")], []);
        Alignment alignment = CurveAligner.Align(load.Groups, CurveAligner.EvalReturn, 20);
        var stats = new BootstrapStatistics(2000, seed: 0);
        var groups = ComparisonStatistics.PerGroup(alignment, threshold: 175, stats);

        GroupStatistics high = groups[0], low = groups[1];
        Assert.Equal(190, high.FinalMean.Value, 10);
        Assert.Equal(140, low.FinalMean.Value, 10);
        Assert.Equal(140, low.FinalIqm.Value, 10);              // mean of 120, 140, 160
        Assert.Equal(140, low.Auc.Value, 10);                   // constant curves: AUC/steps = the constant
        Assert.InRange(140, low.FinalMean.Lower!.Value, low.FinalMean.Upper!.Value);
        Assert.Equal(high.FinalMean.Upper!.Value - 50, low.FinalMean.Upper!.Value, 10);   // the same resamples, shifted
        Assert.Equal(0.25, low.Zeroed!.Last, 12);
        Assert.Equal(0.25, low.Zeroed.Mean, 12);
        Assert.Equal(1234.5, low.StepsPerSecond!.Value, 12);
        Assert.Equal(1, low.Threshold!.Reached);                // only 180 ≥ 175
        Assert.Equal(3, high.Threshold!.Reached);               // 190, 210, 230
        Assert.Equal(1_000, high.Threshold.MedianSteps);        // at the first eval

        // Train returns: episodes of 50 steps with constant returns reach 175 at the first episode end.
        var train = ComparisonStatistics.PerGroup(CurveAligner.Align(load.Groups, CurveAligner.TrainReturn, 7), 175, stats);
        Assert.Equal(50, train[0].Threshold!.MedianSteps);

        var pair = Assert.Single(ComparisonStatistics.Pairwise(groups, stats));
        Assert.Equal(50, pair.MeanDifference, 10);
        // high {150..230 by 20} over low {100..180 by 20}: 150 beats 3, 170 beats 4, the rest beat all 5 → 22 of 25, no ties.
        Assert.Equal(22 / 25.0, pair.ProbabilityOfImprovement.Value, 12);
        Assert.True(pair.ProbabilityOfImprovement.HasInterval);
        Assert.NotNull(pair.WelchP);
    }

    [Fact]
    public void ZeroedShare_IsTheLastIntervalsValue_WithTheTrainingMeanBeside()
    {
        // The bug's zeroed share climbs to 100% at the end; an average over training (55% here) would hide that.
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 3; s++)
        {
            string folder = runs.WriteSeed("clipped", s, 10, zeroed: 0);
            string path = Path.Combine(folder, "progress.csv");
            var lines = File.ReadAllLines(path);
            int column = Array.IndexOf(lines[0].Split(','), "zeroed_share");
            for (int row = 1; row < lines.Length; row++)
            {
                var cells = lines[row].Split(',');
                cells[column] = (row / 10.0).ToString(System.Globalization.CultureInfo.InvariantCulture);   // 0.1 … 1.0
                lines[row] = string.Join(',', cells);
            }
            File.WriteAllLines(path, lines);
        }
        var load = RunGroupLoader.Load([runs.Path_("clipped")], []);
        var group = ComparisonStatistics.PerGroup(CurveAligner.Align(load.Groups, CurveAligner.EvalReturn), null, new BootstrapStatistics(2000)).Single();
        Assert.Equal(1.0, group.Zeroed!.Last, 12);
        Assert.Equal(0.55, group.Zeroed.Mean, 12);
        Assert.Equal("100.0% (55.0%)", ComparisonReport.TableRows(new ComparisonResult("", "", "", null, 2000, 0, load.Groups,
            CurveAligner.Align(load.Groups, CurveAligner.EvalReturn), [group], [], [], [], [])).Single()[Array.IndexOf(ComparisonReport.TableHeader, "zeroed share: last (mean)")]);
    }

    [Fact]
    public void TooFewSeedsGiveNoInterval()
    {
        using var runs = new SyntheticRuns();
        runs.WriteSeed("a", 0, 10);
        runs.WriteSeed("a", 1, 12);
        runs.WriteSeed("b", 0, 10);
        runs.WriteSeed("b", 1, 10);
        runs.WriteSeed("b", 2, 10);
        var load = RunGroupLoader.Load([runs.Path_("a"), runs.Path_("b")], ["two", "three"]);
        var stats = new BootstrapStatistics(2000);
        var groups = ComparisonStatistics.PerGroup(CurveAligner.Align(load.Groups, CurveAligner.EvalReturn), null, stats);
        Assert.False(groups[0].FinalMean.HasInterval);
        Assert.True(groups[1].FinalMean.HasInterval);
        Assert.Null(groups[0].Threshold);
        var pair = Assert.Single(ComparisonStatistics.Pairwise(groups, stats));
        Assert.True(pair.TooFewSeeds);
        Assert.Null(pair.WelchP);
        Assert.Equal(0.75, pair.ProbabilityOfImprovement.Value, 12);
    }

    [Fact]
    public void NormalisedAuc_OfALineIsItsMidpoint()
    {
        Assert.Equal(5.0, ComparisonStatistics.NormalisedAuc([0, 50, 100], [0, 5, 10]), 12);
        Assert.Equal(2.0, ComparisonStatistics.Final([0, 0, 0, 0, 0, 0, 0, 0, 0, 2]), 12);
    }
}
