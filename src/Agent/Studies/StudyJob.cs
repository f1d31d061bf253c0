using DqnStudy.Agent.Hosting;
using DqnStudy.Agent.Compare;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Studies.Exploding;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Studies;

/// <summary>What `study NAME` was asked to do. Seeds/Steps/Blas null = the configs' own values. OutDocs null = the
/// results page stays under <see cref="Out"/> (runs/study-&lt;name&gt;/); a folder = the page is also written there
/// (`--out-docs`, by default docs/studies/&lt;name&gt;/), so tracked files change only on request.</summary>
public sealed record StudyOptions(string Name, int? Seeds = null, long? Steps = null, int Parallel = 1, string Out = "runs",
                                  string? Blas = null, bool Resume = false, string? OutDocs = null, string? Metric = null,
                                  string CommandLine = "", RnnExplodingOptions? Exploding = null);

/// <summary>
/// Runs a whole study: every config through the train path into &lt;out&gt;/study-&lt;name&gt;/&lt;config name&gt;/seed-*,
/// then compare over the groups that trained, into &lt;out&gt;/study-&lt;name&gt;/compare (and, on request, copied
/// whole into the docs folder: the page, report.html and every figure they show). Exit 0 = all ran and compared,
/// 1 = some config failed (the rest still compared), 2 = bad input.
/// </summary>
public static class StudyJob
{
    public const int Ok = 0;
    public const int SomeFailed = 1;
    public const int BadInput = 2;

    public static async Task<int> RunAsync(StudyOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        StudyDefinition? study = StudyCatalog.Find(options.Name);
        if (study is null)
        {
            output.WriteLine($"error: unknown study '{options.Name}'; known: {string.Join(", ", StudyCatalog.All.Select(s => s.Name))} (see `study list`).");
            return BadInput;
        }
        string studyRoot = Path.Combine(options.Out, "study-" + study.Name);
        if (study.IsExperiment)
        {
            return RunExploding(options, options.OutDocs ?? studyRoot, output);
        }

        var trained = new List<(string Folder, string Label)>();
        var failed = new List<string>();
        foreach (string file in study.Configs)
        {
            var overrides = new List<ConfigOverride>();
            if (options.Steps is { } steps) overrides.Add(new($"training.total_steps={steps}", "--steps"));
            if (options.Seeds is { } seeds) overrides.Add(new($"training.seeds={seeds}", "--seeds"));
            if (options.Blas is { } blas) overrides.Add(new($"blas={blas}", "--blas"));
            DqnConfig config;
            try
            {
                config = ConfigLoader.LoadWith(ConfigLoader.Resolve(file), overrides, EnvironmentRegistry.Ids);
            }
            catch (ConfigException e)
            {
                output.WriteLine(e.Message);
                return BadInput;
            }
            var plan = new TrainingPlan(config, Enumerable.Range(0, config.Training.Seeds).ToArray(), studyRoot, config.Name,
                                        options.Resume, options.Parallel, DqnComponents.Name(config.Blas));
            output.WriteLine($"study {study.Name}: training {file} -> {plan.GroupFolder}");
            int code = await TrainingHost.RunPlanAsync(plan);
            if (code != 0)
            {
                failed.Add($"{file} (exit {code})");
                continue;
            }
            trained.Add((plan.GroupFolder, config.Name));
        }
        if (trained.Count == 0)
        {
            output.WriteLine($"study {study.Name}: no config trained ({string.Join(", ", failed)}); nothing to compare.");
            return SomeFailed;
        }

        string compareFolder = Path.Combine(studyRoot, "compare");
        for (int k = 2; Directory.Exists(compareFolder) && Directory.EnumerateFileSystemEntries(compareFolder).Any(); k++)
        {
            compareFolder = Path.Combine(studyRoot, $"compare-{k}");
        }
        var compare = new CompareOptions(trained.Select(t => t.Folder).ToArray(), trained.Select(t => t.Label).ToArray(), compareFolder,
                                         options.Metric ?? study.Metric, null, 2000, 0, options.CommandLine);
        int compared = CompareJob.Run(compare, id => EnvironmentRegistry.TryGetSpec(id, out var spec) ? spec.RewardThreshold : null,
                                      output, ansi: false, out _);
        if (compared != CompareJob.Ok)
        {
            output.WriteLine($"study {study.Name}: compare failed (exit {compared}); runs are in {studyRoot}.");
            return SomeFailed;
        }
        output.WriteLine($"study {study.Name}: comparison in {compareFolder} ({CompareJob.ReportFileName}, {ComparisonHtml.FileName})");
        if (options.OutDocs is { } docs)
        {
            Directory.CreateDirectory(docs);
            foreach (string file in Directory.EnumerateFiles(compareFolder))
            {
                File.Copy(file, Path.Combine(docs, Path.GetFileName(file)), overwrite: true);   // the page is regenerated, runs never are
            }
            output.WriteLine($"study {study.Name}: results page {Path.Combine(docs, CompareJob.ReportFileName)}");
        }
        foreach (string f in failed)
        {
            output.WriteLine($"warning: {f} did not train; it is missing from the comparison.");
        }
        return failed.Count == 0 ? Ok : SomeFailed;
    }

    private static int RunExploding(StudyOptions options, string docs, TextWriter output)
    {
        RnnExplodingOptions exploding = options.Exploding ?? new RnnExplodingOptions(RnnExplodingOptions.DefaultRhos);
        try
        {
            exploding.Validate();
        }
        catch (ArgumentException e)
        {
            output.WriteLine($"error: {e.Message}");
            return BadInput;
        }
        // Managed BLAS: tiny (H x H) GEMMs, and the numbers then do not depend on which provider is installed.
        IReadOnlyList<RnnExplodingSeries> series = RnnExplodingExperiment.Run(exploding, new ManagedBlas());
        RnnExplodingReport.Write(series, exploding, docs, options.CommandLine);
        foreach (RnnExplodingSeries s in series)
        {
            output.WriteLine($"rho {s.Rho:0.###}: spectral radius {s.SpectralRadius:0.0000}, largest singular value {s.LargestSingularValue:0.0000}, "
                             + $"||dL/dh0|| at T={exploding.MaxT}: {s.GradNormZeroH0[^1]:0.###e+00} (h0 = 0), {s.GradNormRandomH0[^1]:0.###e+00} (random h0), rho^T {s.RhoPowT[^1]:0.###e+00}");
        }
        output.WriteLine($"Results page: {Path.Combine(docs, RnnExplodingReport.PageFile)}");
        return Ok;
    }
}
