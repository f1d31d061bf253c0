using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

public sealed class InstrumentSummaryTests
{
    [Fact]
    public void SummarisesFirstAndLastInstrumentValuesPerGroup()
    {
        using var runs = new SyntheticRuns();
        // Group a: two seeds whose dead share climbs 0.1 → 0.5 and 0.3 → 0.7; group b logs no instruments.
        AddDeadShare(runs.WriteSeed("a", 0, 100), [0.1, 0.2, 0.5]);
        AddDeadShare(runs.WriteSeed("a", 1, 100), [0.3, 0.4, 0.7]);
        runs.WriteSeed("b", 0, 100);
        var load = RunGroupLoader.Load([runs.Path_("a"), runs.Path_("b")], []);

        var rows = InstrumentSummary.Rows(load.Groups);

        string[] row = Assert.Single(rows);
        Assert.Equal(["dead_share_act1", "0.2 → 0.6", "—"], row);
        Assert.False(InstrumentSummary.IsInstrument("zeroed_share"));
    }

    // Rewrites progress.csv with a dead_share_act1 column (first row empty: not measured yet, as the trainer writes it).
    private static void AddDeadShare(string seedFolder, double[] values)
    {
        string path = Path.Combine(seedFolder, "progress.csv");
        var lines = File.ReadAllLines(path);
        var output = new List<string> { lines[0] + ",dead_share_act1" };
        for (int i = 1; i < lines.Length; i++)
        {
            int k = i - 2;
            string cell = k >= 0 && k < values.Length ? values[k].ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
            output.Add(lines[i] + "," + cell);
        }
        File.WriteAllLines(path, output);
    }
}
