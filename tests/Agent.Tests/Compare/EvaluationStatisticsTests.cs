using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

public sealed class EvaluationStatisticsTests
{
    [Fact]
    public void FinalIsTheLastEvaluationAndBestTheHighestOfEachSeed()
    {
        using var runs = new SyntheticRuns();
        double[][] evals = [[500, 100], [200, 480], [300, 490]];
        var seeds = new List<SeedRun>();
        for (int s = 0; s < evals.Length; s++)
        {
            string folder = runs.WriteSeed("g", s, 1);
            File.WriteAllText(Path.Combine(folder, "eval.csv"), "steps,return_mean,return_std,return_min,return_max,length_mean,episodes\n" +
                string.Concat(evals[s].Select((r, i) => $"{(i + 1) * 1000},{r},0,{r},{r},{r},10\n")));
            seeds.Add(SeedRun.Load(folder, s));
        }
        var stats = EvaluationStatistics.Of(seeds, 475, new BootstrapStatistics(2000, 0))!;
        Assert.Equal([100, 480, 490], stats.Finals);
        Assert.Equal([500, 480, 490], stats.Bests);
        Assert.Equal((100 + 480 + 490) / 3.0, stats.FinalMean.Value, 10);
        Assert.Equal(490, stats.BestMean.Value, 10);
        Assert.Equal(2, stats.FinalReached);
        Assert.True(stats.FinalMean.HasInterval);
        Assert.InRange(stats.FinalMean.Value, stats.FinalMean.Lower!.Value, stats.FinalMean.Upper!.Value);
    }
}
