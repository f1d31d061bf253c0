using System.Buffers.Binary;
using System.CommandLine;
using DqnStudy.Agent.Cli;
using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

public sealed class CompareJobTests
{
    private static double? Threshold(string env) => env == "CartPole-v1" ? 475 : null;

    [Fact]
    public void Run_WritesReportFiguresAndTable()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 3; s++)
        {
            runs.WriteSeed("huber", s, 480 + s, loss: "huber");
            runs.WriteSeed("clipped", s, 100 + 10 * s, loss: "clipped_delta", zeroed: 0.3);
        }
        runs.WriteSeed("pair", 0, 9);
        runs.WriteSeed("pair", 1, 11);
        string outFolder = runs.Path_("out");
        var output = new StringWriter();
        int code = CompareJob.Run(new CompareOptions([runs.Path_("huber"), runs.Path_("clipped"), runs.Path_("pair")], [], outFolder,
                                                     CommandLine: "compare runs/huber runs/clipped"),
                                  Threshold, output, ansi: false, out ComparisonResult? result);
        Assert.Equal(CompareJob.Ok, code);
        Assert.NotNull(result);
        Assert.Equal(475, result.Threshold);

        string report = File.ReadAllText(Path.Combine(outFolder, "report.md"));
        Assert.Contains("compare runs/huber runs/clipped", report, StringComparison.Ordinal);
        Assert.Contains("![", report, StringComparison.Ordinal);
        Assert.Contains("| loss.kind | huber | clipped_delta | huber |", report, StringComparison.Ordinal);
        Assert.Contains("Managed (TensorPrimitives)", report, StringComparison.Ordinal);
        Assert.Contains("too few seeds for a claim", report, StringComparison.Ordinal);    // the 2-seed group
        Assert.Contains("30.0%", report, StringComparison.Ordinal);                       // clipped's zeroed share

        string console = output.ToString();
        Assert.Contains("huber", console, StringComparison.Ordinal);
        Assert.Contains("481", console, StringComparison.Ordinal);                        // huber's final mean

        foreach (Figure figure in result.Figures)
        {
            AssertPng(Path.Combine(outFolder, figure.FileName), CompareFigures.Width, CompareFigures.Height);
        }
        Assert.Equal(["curve.png", "diag_gradient_shares.png", "diag_mean_q.png", "diag_loss.png", "diag_grad_norm.png"],
                     result.Figures.Select(f => f.FileName));

        // Never overwrites: the same --out again is refused.
        Assert.Equal(CompareJob.BadInput, CompareJob.Run(new CompareOptions([runs.Path_("huber")], [], outFolder), Threshold,
                                                         new StringWriter(), false, out _));
    }

    [Fact]
    public void Run_NothingComparableIsExitCode2NamingTheFolder()
    {
        using var runs = new SyntheticRuns();
        Directory.CreateDirectory(runs.Path_("empty"));
        var output = new StringWriter();
        int code = CompareJob.Run(new CompareOptions([runs.Path_("empty"), runs.Path_("nope")], [], runs.Path_("out")),
                                  Threshold, output, false, out _);
        Assert.Equal(CompareJob.BadInput, code);
        Assert.Contains(runs.Path_("empty"), output.ToString(), StringComparison.Ordinal);
        Assert.Contains(runs.Path_("nope") + ": folder not found", output.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(runs.Path_("out")));
    }

    [Fact]
    public void Command_ParsesOptionsAndRuns()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 3; s++)
        {
            runs.WriteSeed("a", s, 10 + s);
        }
        var root = new RootCommand { CompareCommand.Create(Threshold) };
        string outFolder = runs.Path_("cli-out");
        int code = root.Parse(["compare", runs.Path_("a"), "--label", "arm", "--metric", "mean_q", "--out", outFolder]).Invoke();
        Assert.Equal(0, code);
        string report = File.ReadAllText(Path.Combine(outFolder, "report.md"));
        Assert.Contains("| arm | 3 |", report, StringComparison.Ordinal);
        Assert.Contains("Threshold: none", report, StringComparison.Ordinal);       // not a return metric
    }

    [Fact]
    public void Table_RendersWithSpectreOnATerminal()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 3; s++)
        {
            runs.WriteSeed("a", s, 10 + s);
            runs.WriteSeed("b", s, 20 + s);
        }
        var output = new StringWriter();
        Assert.Equal(0, CompareJob.Run(new CompareOptions([runs.Path_("a"), runs.Path_("b")], [], runs.Path_("out"), Metric: CurveAligner.EvalReturn),
                                       Threshold, output, ansi: true, out _));
        Assert.Contains("╭", output.ToString(), StringComparison.Ordinal);      // Spectre's rounded border
        Assert.Contains("a vs b", output.ToString(), StringComparison.Ordinal);
    }

    private static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33, $"{path} has {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }
}
