using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

/// <summary>--align, --metric's did-you-mean, --force and where messages go.</summary>
public sealed class CompareOptionsTests
{
    [Fact]
    public void AlignShortest_CutsTheLongerGroup_AndSaysSo_AlignNone_KeepsItsOwnRange()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 3; s++)
        {
            runs.WriteSeed("short", s, 10 + s, totalSteps: 5_000);
            runs.WriteSeed("long", s, 20 + s, totalSteps: 10_000);
        }
        string[] groups = [runs.Path_("short"), runs.Path_("long")];

        var output = new StringWriter();
        Assert.Equal(CompareJob.Ok, CompareJob.Run(new CompareOptions(groups, [], runs.Path_("cut"), Metric: CurveAligner.EvalReturn),
                                                   _ => null, output, false, out ComparisonResult? cut));
        Assert.Equal(5_000, cut!.Alignment.Groups.Single(g => g.Group.Label == "long").Grid[^1]);
        Assert.Contains("note: --align shortest: every group is cut to step 5,000", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("'long' ran to 10,000", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("'long' ran to 10,000", File.ReadAllText(runs.Path_("cut", "report.md")), StringComparison.Ordinal);

        output = new StringWriter();
        Assert.Equal(CompareJob.Ok, CompareJob.Run(new CompareOptions(groups, [], runs.Path_("own"), Metric: CurveAligner.EvalReturn, Align: AlignMode.None),
                                                   _ => null, output, false, out ComparisonResult? own));
        Assert.Equal(10_000, own!.Alignment.Groups.Single(g => g.Group.Label == "long").Grid[^1]);
        Assert.Equal(5_000, own.Alignment.Groups.Single(g => g.Group.Label == "short").Grid[^1]);
        Assert.Contains("each group on its own range", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(own.Alignment.Cut);
    }

    [Fact]
    public void SameLengthGroups_GetNoNote()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 3; s++) { runs.WriteSeed("a", s, 1); runs.WriteSeed("b", s, 2); }
        var output = new StringWriter();
        Assert.Equal(CompareJob.Ok, CompareJob.Run(new CompareOptions([runs.Path_("a"), runs.Path_("b")], [], runs.Path_("out")),
                                                   _ => null, output, false, out _));
        Assert.DoesNotContain("note:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMetric_SuggestsTheNearest_OnStderr_ExitCode2()
    {
        using var runs = new SyntheticRuns();
        runs.WriteSeed("a", 0, 1);
        var output = new StringWriter();
        var errors = new StringWriter();
        Assert.Equal(CompareJob.BadInput, CompareJob.Run(new CompareOptions([runs.Path_("a")], [], runs.Path_("out"), Metric: "mean_qq"),
                                                         _ => null, output, false, out _, errors));
        Assert.Contains("did you mean 'mean_q'?", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("train_return, eval_return", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
        Assert.False(Directory.Exists(runs.Path_("out")));
    }

    [Fact]
    public void Force_WritesOverAnEarlierComparison_ButNeverOverAnotherFolder()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 3; s++) runs.WriteSeed("a", s, 1 + s);
        string[] groups = [runs.Path_("a")];
        string folder = runs.Path_("out");
        Assert.Equal(CompareJob.Ok, CompareJob.Run(new CompareOptions(groups, [], folder), _ => null, new StringWriter(), false, out _));

        var errors = new StringWriter();
        Assert.Equal(CompareJob.BadInput, CompareJob.Run(new CompareOptions(groups, [], folder), _ => null, new StringWriter(), false, out _, errors));
        Assert.Contains("--force", errors.ToString(), StringComparison.Ordinal);
        File.Delete(Path.Combine(folder, "report.html"));
        Assert.Equal(CompareJob.Ok, CompareJob.Run(new CompareOptions(groups, [], folder, Force: true), _ => null, new StringWriter(), false, out _));
        Assert.True(File.Exists(Path.Combine(folder, "report.html")));

        string other = runs.Path_("notes");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "mine.txt"), "keep");
        errors = new StringWriter();
        Assert.Equal(CompareJob.BadInput, CompareJob.Run(new CompareOptions(groups, [], other, Force: true), _ => null, new StringWriter(), false, out _, errors));
        Assert.Contains("did not write", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(["mine.txt"], Directory.GetFiles(other).Select(Path.GetFileName));
    }
}
