using DqnStudy.Agent.Runs;
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

    /// <param name="output">the table, notes and where the files went (stdout).</param>
    /// <param name="errors">errors and warnings (stderr); null = `output`.</param>
    public static int Run(CompareOptions options, Func<string, double?> rewardThresholdForEnv, TextWriter output, bool ansi,
                          out ComparisonResult? result, TextWriter? errors = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rewardThresholdForEnv);
        ArgumentNullException.ThrowIfNull(output);
        errors ??= output;
        result = null;
        if (options.Resamples < 2000)
        {
            errors.WriteLine($"error: --resamples is {options.Resamples} but at least 2000 are needed for a 95% interval worth printing.");
            return BadInput;
        }

        LoadResult load = RunGroupLoader.Load(options.Runs, options.Labels);
        var problems = new List<string>(load.Problems);
        if (UnknownMetric(options.Metric, load.Groups) is { } unknown)
        {
            WriteProblems(errors, problems);
            errors.WriteLine($"error: {unknown}");
            return BadInput;
        }
        Alignment alignment = CurveAligner.Align(load.Groups, options.Metric, CurveAligner.DefaultGridPoints, options.Align);
        problems.AddRange(alignment.Problems);
        if (alignment.Groups.Count == 0)
        {
            WriteProblems(errors, problems);
            errors.WriteLine($"error: nothing to compare: no group has a readable '{options.Metric}'.");
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
            if (options.Export is { } export) PrepareFolder(export, options.Force, "--export", CompareExport.IsExport);
        }
        catch (IOException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return BadInput;
        }

        var bootstrap = new BootstrapStatistics(options.Resamples, options.BootstrapSeed);
        var groups = alignment.Groups.Select(g => g.Group).ToList();
        var statistics = ComparisonStatistics.PerGroup(alignment, threshold, bootstrap);
        var pairs = ComparisonStatistics.Pairwise(statistics, bootstrap);
        var figures = CompareFigures.Render(alignment, groups, envId, threshold, bootstrap, folder, problems);
        result = new ComparisonResult(options.CommandLine, envId, options.Metric, threshold, options.Resamples, options.BootstrapSeed,
                                      groups, alignment, statistics, pairs, ConfigFlattener.Differences(groups), figures, problems);
        File.WriteAllText(Path.Combine(folder, ReportFileName), ComparisonReport.Markdown(result));
        File.WriteAllText(Path.Combine(folder, ComparisonHtml.FileName), ComparisonHtml.Render(ComparisonReport.Document(result), folder));

        ComparisonTable.Write(result, output, ansi);
        WriteProblems(errors, problems);
        if (alignment.Cut.Count > 0 || alignment.Mode == AlignMode.None) output.WriteLine($"note: {Plain(alignment.Description)}");
        output.WriteLine($"Report: {Path.Combine(folder, ReportFileName)} and {Path.Combine(folder, ComparisonHtml.FileName)}");
        if (options.Export is { } exportFolder)
        {
            var files = CompareExport.Write(result, exportFolder);
            output.WriteLine($"Export: {exportFolder} ({string.Join(", ", files.Where(f => !f.StartsWith("monitor", StringComparison.Ordinal)))}; " +
                             $"monitor/<group>/ for Stable-Baselines3's load_results)");
        }
        return Ok;
    }

    public const string ReportFileName = "report.md";

    /// <summary>Null when `metric` is one `compare` can read from these groups; else the error, with the nearest name.</summary>
    public static string? UnknownMetric(string metric, IReadOnlyList<RunGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var columns = groups.SelectMany(g => g.Seeds).Select(s => s.Progress).OfType<CsvTable>()
            .SelectMany(p => p.ColumnNames).Where(c => c != RunFolder.Steps).Distinct().ToList();
        if (groups.Count == 0 || metric is CurveAligner.TrainReturn or CurveAligner.EvalReturn || columns.Contains(metric)) return null;
        string[] known = [CurveAligner.TrainReturn, CurveAligner.EvalReturn, .. columns];
        string? near = Config.ConfigSchema.Closest(metric, known);
        string hint = near is null ? "" : $"; did you mean '{near}'?";
        return $"--metric '{metric}' is not in these runs{hint} Metrics: {CurveAligner.TrainReturn}, {CurveAligner.EvalReturn}, " +
               $"or a progress.csv column ({string.Join(", ", columns)}).";
    }

    private static string Plain(string text) => text.Replace("`", "", StringComparison.Ordinal);

    /// <summary>
    /// An explicit --out must be new or empty, or with --force a folder an earlier comparison wrote (its report,
    /// figures and exports are replaced; nothing else in it is touched). The default is
    /// runs/compare/&lt;labels&gt;-&lt;UTC time&gt;, suffixed -2, -3, … if taken, so a comparison never overwrites another.
    /// </summary>
    public static string OutputFolder(CompareOptions options, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(labels);
        if (options.Out is { } explicitFolder)
        {
            PrepareFolder(explicitFolder, options.Force, "--out", IsComparison);
            return explicitFolder;
        }
        string names = string.Join("-vs-", labels.Select(SafeName));
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

    /// <summary>A comparison folder: it holds report.md.</summary>
    public static bool IsComparison(string folder) => File.Exists(Path.Combine(folder, ReportFileName));

    /// <summary>Creates `folder` when new; an existing non-empty one needs `force` and must be what this command writes
    /// (`ours`), so --force never overwrites a folder of something else.</summary>
    private static void PrepareFolder(string folder, bool force, string option, Func<string, bool> ours)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!force)
                throw new IOException($"{folder}: the {option} folder exists and is not empty; choose another {option}, or add --force to write this comparison's files over it.");
            if (!ours(folder))
                throw new IOException($"{folder}: the {option} folder holds files that compare did not write; --force only writes over an earlier comparison's folder. Choose another {option}.");
        }
        Directory.CreateDirectory(folder);
    }

    public static string SafeName(string label) =>
        new(label.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());

    private static void WriteProblems(TextWriter output, List<string> problems)
    {
        foreach (string p in problems)
        {
            output.WriteLine($"warning: {p}");
        }
    }
}
