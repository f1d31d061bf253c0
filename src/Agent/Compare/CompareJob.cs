using System.Globalization;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// The whole `compare` command without the command line: load, align, compute, draw, report.
/// Exit codes: 0 = compared (possibly with problems, all listed); 2 = bad input, nothing comparable.
/// </summary>
public static class CompareJob
{
    public const int Ok = 0;
    public const int BadInput = 2;

    public static int Run(CompareOptions options, Func<string, double?> rewardThresholdForEnv, TextWriter output, bool ansi,
                          out ComparisonResult? result)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rewardThresholdForEnv);
        ArgumentNullException.ThrowIfNull(output);
        result = null;
        if (options.Resamples < 2000)
        {
            output.WriteLine($"--resamples is {options.Resamples} but at least 2000 are needed for a 95% interval worth printing.");
            return BadInput;
        }

        LoadResult load = RunGroupLoader.Load(options.Runs, options.Labels);
        var problems = new List<string>(load.Problems);
        Alignment alignment = CurveAligner.Align(load.Groups, options.Metric);
        problems.AddRange(alignment.Problems);
        if (alignment.Groups.Count == 0)
        {
            WriteProblems(output, problems);
            output.WriteLine($"Nothing to compare: no group has a readable '{options.Metric}'.");
            return BadInput;
        }

        string envId = load.EnvId ?? "unknown env";
        double? threshold = options.Threshold ??
            (options.Metric is CurveAligner.TrainReturn or CurveAligner.EvalReturn && load.EnvId is not null
                ? rewardThresholdForEnv(load.EnvId) : null);

        string folder;
        try
        {
            folder = OutputFolder(options, alignment.Groups.Select(g => g.Group.Label).ToList());
        }
        catch (IOException e)
        {
            output.WriteLine(e.Message);
            return BadInput;
        }

        var bootstrap = new BootstrapStatistics(options.Resamples, options.BootstrapSeed);
        var groups = alignment.Groups.Select(g => g.Group).ToList();
        var statistics = ComparisonStatistics.PerGroup(alignment, threshold, bootstrap);
        var pairs = ComparisonStatistics.Pairwise(statistics, bootstrap);
        var figures = CompareFigures.Render(alignment, groups, envId, threshold, bootstrap, folder, problems);
        result = new ComparisonResult(options.CommandLine, envId, options.Metric, threshold, options.Resamples, options.BootstrapSeed,
                                      groups, alignment, statistics, pairs, FlatConfigDiff.Compute(groups), figures, problems);
        File.WriteAllText(Path.Combine(folder, "report.md"), ComparisonReport.Markdown(result));

        ComparisonTable.Write(result, output, ansi);
        WriteProblems(output, problems);
        output.WriteLine($"Report: {Path.Combine(folder, "report.md")}");
        return Ok;
    }

    /// <summary>
    /// An explicit --out must be new or empty; the default is runs/compare/&lt;labels&gt;-&lt;UTC time&gt;, suffixed
    /// -2, -3, … if taken, so a comparison never overwrites another.
    /// </summary>
    public static string OutputFolder(CompareOptions options, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(labels);
        if (options.Out is { } explicitFolder)
        {
            if (Directory.Exists(explicitFolder) && Directory.EnumerateFileSystemEntries(explicitFolder).Any())
            {
                throw new IOException($"{explicitFolder}: the output folder exists and is not empty; choose another --out (a comparison never overwrites).");
            }
            Directory.CreateDirectory(explicitFolder);
            return explicitFolder;
        }
        string names = string.Join("-vs-", labels.Select(Safe));
        if (names.Length > 80)
        {
            names = names[..80];
        }
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string baseName = Path.Combine("runs", "compare", $"{names}-{stamp}");
        string folder = baseName;
        for (int k = 2; Directory.Exists(folder); k++)
        {
            folder = $"{baseName}-{k}";
        }
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string Safe(string label) =>
        new(label.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());

    private static void WriteProblems(TextWriter output, List<string> problems)
    {
        foreach (string p in problems)
        {
            output.WriteLine($"warning: {p}");
        }
    }
}
