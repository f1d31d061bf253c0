using DqnStudy.Agent.Config;
using DqnStudy.Agent.Studies;
using DqnStudy.Agent.Studies.Exploding;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Studies;

public sealed class StudyTests
{
    [Fact]
    public void RnnExploding_ZeroH0_MatchesAnIndependentMatrixPower()
    {
        var options = new RnnExplodingOptions([0.9, 1.0, 1.1], MaxT: 60, Hidden: 16, Seed: 3);
        IReadOnlyList<RnnExplodingSeries> series = RnnExplodingExperiment.Run(options, new ManagedBlas());
        Assert.Equal(3, series.Count);
        foreach (RnnExplodingSeries s in series)
        {
            Assert.Equal(s.Rho, s.SpectralRadius, 3);
            Assert.True(s.LargestSingularValue >= s.SpectralRadius - 1e-6, "sigma_max bounds rho from above");
            for (int t = 0; t < options.MaxT; t++)
            {
                // float32 BPTT vs a float64 power iteration written separately: agree to float precision.
                Assert.True(Math.Abs(s.GradNormZeroH0[t] - s.ExactLinear[t]) <= 1e-4 * s.ExactLinear[t],
                            $"rho {s.Rho}, T {t + 1}: BPTT {s.GradNormZeroH0[t]} vs exact {s.ExactLinear[t]}");
            }
        }
        Assert.True(series[0].GradNormZeroH0[^1] < 1e-2);     // 0.9^60 ≈ 2e-3: vanishes
        Assert.True(series[2].GradNormZeroH0[^1] > 1e1);      // 1.1^60 ≈ 300: explodes
        Assert.True(series[2].GradNormRandomH0[^1] < 0.1 * series[2].GradNormZeroH0[^1]);   // saturated tanh damps it
    }

    [Fact]
    public void ExactLinear_IsTheTransposePower()
    {
        // W = [[0, 2], [0, 0]]: Wᵀ e0 = (0, 2), (Wᵀ)² e0 = 0.
        double[] norms = RnnExplodingExperiment.ExactLinear([0f, 2f, 0f, 0f], [1.0, 0.0], 2, 2);
        Assert.Equal([2.0, 0.0], norms);
    }

    [Fact]
    public async Task RnnExploding_WritesCsvFigureAndPage()
    {
        string docs = StudyTestPaths.TempFolder();
        int code = await StudyJob.RunAsync(new StudyOptions(StudyCatalog.RnnExploding, OutDocs: docs, CommandLine: "study rnn-exploding --max-t 20",
                                                            Exploding: new RnnExplodingOptions([0.9, 1.1], MaxT: 20)), TextWriter.Null);
        Assert.Equal(StudyJob.Ok, code);
        Assert.Equal(1 + 2 * 20, File.ReadAllLines(Path.Combine(docs, RnnExplodingReport.CsvFile)).Length);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], File.ReadAllBytes(Path.Combine(docs, RnnExplodingReport.FigureFile))[..4]);
        string page = File.ReadAllText(Path.Combine(docs, RnnExplodingReport.PageFile));
        Assert.Contains("study rnn-exploding --max-t 20", page);
        Assert.Contains("‖(W_hhᵀ)^T g‖", page);
    }

    [Fact]
    public async Task WithoutOutDocs_TheStudyWritesUnderItsRunsRoot_NotIntoTheDocs()
    {
        string root = StudyTestPaths.TempFolder();
        string pageInDocs = Path.Combine(StudyPaths.DocsFolder(StudyCatalog.RnnExploding), RnnExplodingReport.PageFile);
        DateTime before = File.Exists(pageInDocs) ? File.GetLastWriteTimeUtc(pageInDocs) : default;
        var cli = new System.CommandLine.RootCommand { DqnStudy.Agent.Cli.StudyCommand.Create() };
        Assert.Equal(0, await cli.Parse(["study", StudyCatalog.RnnExploding, "--max-t", "5", "--out", root]).InvokeAsync());
        Assert.True(File.Exists(Path.Combine(root, "study-" + StudyCatalog.RnnExploding, RnnExplodingReport.PageFile)));
        Assert.Equal(before, File.Exists(pageInDocs) ? File.GetLastWriteTimeUtc(pageInDocs) : default);

        string docs = Path.Combine(root, "pages");
        Assert.Equal(0, await cli.Parse(["study", StudyCatalog.RnnExploding, "--max-t", "5", "--out", root, "--out-docs", docs]).InvokeAsync());
        Assert.True(File.Exists(Path.Combine(docs, RnnExplodingReport.PageFile)));
    }

    [Fact]
    public void List_NamesEveryStudyAndItsConfigs()
    {
        var text = new StringWriter();
        StudyCatalog.WriteList(text);
        foreach (string name in new[] { "clipping", "sigmoid", "relu", "rnn-dqn", "rnn-exploding" })
        {
            Assert.Contains(name + Environment.NewLine, text.ToString());
        }
        Assert.Contains("huber.yaml, clipped.yaml, mse.yaml", text.ToString());
    }

    [Fact]
    public void EveryStudyConfig_Loads()
    {
        var files = StudyCatalog.All.SelectMany(s => s.Configs)
            .Concat(Directory.GetFiles(Path.Combine(StudyTestPaths.RepositoryRoot(), "configs"), "study-*.yaml").Select(Path.GetFileName))
            .Distinct().ToList();
        Assert.True(files.Count >= 12, string.Join(", ", files));
        foreach (string? file in files)
        {
            DqnConfig config = ConfigLoader.Load(StudyTestPaths.Config(file!), null, EnvironmentRegistry.Ids);
            Assert.False(string.IsNullOrEmpty(config.Name));
        }
        Assert.Equal(NetworkKind.Lstm, ConfigLoader.Load(StudyTestPaths.Config("study-rnn-dqn-lstm.yaml")).Network.Type);
        Assert.Equal(0.0, ConfigLoader.Load(StudyTestPaths.Config("study-rnn-dqn-rnn-noclip.yaml")).MaxGradNorm);
        Assert.True(ConfigLoader.Load(StudyTestPaths.Config("study-sigmoid-large-init.yaml")).Instruments.Enabled);
    }

    [Fact]
    public async Task UnknownStudy_IsBadInput()
    {
        var text = new StringWriter();
        Assert.Equal(StudyJob.BadInput, await StudyJob.RunAsync(new StudyOptions("nope"), text));
        Assert.Contains("known: clipping", text.ToString());
    }

    [Fact]
    public async Task ClippingStudy_TinySteps_WritesRunsAndComparison()
    {
        string root = StudyTestPaths.TempFolder();
        string runs = Path.Combine(root, "runs"), docs = Path.Combine(root, "docs");
        var options = new StudyOptions("clipping", Seeds: 1, Steps: 300, Parallel: 1, Out: runs, Blas: "managed", OutDocs: docs,
                                       CommandLine: "study clipping --steps 300");
        var text = new StringWriter();
        int code = await StudyJob.RunAsync(options, text);
        Assert.True(code == StudyJob.Ok, text.ToString());
        foreach (string name in new[] { "huber", "clipped", "mse" })
        {
            Assert.True(File.Exists(Path.Combine(runs, "study-clipping", name, "seed-0", "eval.csv")), name);
        }
        Assert.Contains("study clipping --steps 300", File.ReadAllText(Path.Combine(docs, "report.md")));
        // --out-docs gets the whole page: report.md, report.html and every figure report.md shows.
        string report = File.ReadAllText(Path.Combine(docs, "report.md"));
        foreach (System.Text.RegularExpressions.Match figure in System.Text.RegularExpressions.Regex.Matches(report, @"!\[[^\]]*\]\(([^)]+)\)"))
            Assert.True(File.Exists(Path.Combine(docs, figure.Groups[1].Value)), figure.Value);
        Assert.True(File.Exists(Path.Combine(docs, "report.html")));
        Assert.True(File.Exists(Path.Combine(runs, "study-clipping", "compare", "report.md")));
        // A second run without --resume must not overwrite the first.
        Assert.NotEqual(StudyJob.Ok, await StudyJob.RunAsync(options, TextWriter.Null));
    }
}
