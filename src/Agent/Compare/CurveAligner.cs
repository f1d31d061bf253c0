using DqnStudy.Agent.Runs;
namespace DqnStudy.Agent.Compare;

/// <summary>How groups of different lengths share steps: <c>Shortest</c> cuts every group to the range all of them
/// cover (like with like); <c>None</c> gives each group the range its own seeds cover.</summary>
public enum AlignMode { Shortest, None }

/// <summary>A group's seeds on its grid: <c>Curves[seed][point]</c> at the steps <c>Grid[point]</c>.</summary>
public sealed record AlignedGroup(RunGroup Group, IReadOnlyList<SeedRun> Seeds, double[][] Curves, double[] Grid)
{
    /// <summary>The last step this group's seeds all reached (its own end, before any cut).</summary>
    public double OwnEnd { get; init; } = Grid.Length > 0 ? Grid[^1] : 0;
}

/// <summary>Every group of a comparison on an env-step grid: one common grid (<see cref="AlignMode.Shortest"/>) or
/// one per group (<see cref="AlignMode.None"/>; <see cref="Grid"/> is then the widest of them).</summary>
public sealed record Alignment(string Metric, double[] Grid, IReadOnlyList<AlignedGroup> Groups, IReadOnlyList<string> Problems,
                               AlignMode Mode = AlignMode.Shortest)
{
    /// <summary>Groups cut short by the common grid: they ran further than the shortest group.</summary>
    public IReadOnlyList<AlignedGroup> Cut => Mode == AlignMode.Shortest && Grid.Length > 0
        ? Groups.Where(g => g.OwnEnd > Grid[^1]).ToList() : [];

    /// <summary>One sentence on how the groups were aligned, for the report and the console.</summary>
    public string Description
    {
        get
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            if (Mode == AlignMode.None)
                return "`--align none`: each group on its own range (" +
                       string.Join("; ", Groups.Select(g => string.Create(inv, $"{g.Group.Label} to step {g.Grid[^1]:N0}"))) +
                       "), so groups of different lengths are compared at different budgets.";
            if (Cut.Count == 0) return "every group covers the whole grid.";
            return string.Create(inv, $"`--align shortest`: every group is cut to step {Grid[^1]:N0}, where the shortest ends; ") +
                   string.Join("; ", Cut.Select(g => string.Create(inv, $"'{g.Group.Label}' ran to {g.OwnEnd:N0}"))) +
                   " (their numbers here stop at the cut, not at their end; `--align none` compares each over its own range).";
        }
    }
}

/// <summary>
/// Puts every seed's curve on one common env-step grid so that seeds with different episode boundaries average
/// correctly.
/// <list type="bullet">
/// <item><c>train_return</c> (monitor.csv): at grid step s, the mean return of the last 100 episodes that ended at or
/// before s (fewer at the start) — the same window as SB3's <c>rollout/ep_rew_mean</c>. Episode end steps are the
/// cumulative episode lengths.</item>
/// <item><c>eval_return</c> (eval.csv <c>return_mean</c>) and any progress.csv column: the last value recorded at or
/// before s (as recorded, no smoothing; empty cells are skipped).</item>
/// </list>
/// The grid has <see cref="DefaultGridPoints"/> evenly spaced steps from the latest first record to the earliest last
/// record over all seeds, so every seed has a value at every point (groups of different lengths are compared over
/// their common range). A seed that ends before half its group's median end (a run killed early) would shrink
/// everyone's grid: it is left out with a note instead.
/// </summary>
public static class CurveAligner
{
    public const string TrainReturn = "train_return";
    public const string EvalReturn = "eval_return";
    public const int TrainReturnWindow = 100;
    public const int DefaultGridPoints = 200;

    public static Alignment Align(IReadOnlyList<RunGroup> groups, string metric, int gridPoints = DefaultGridPoints,
                                  AlignMode mode = AlignMode.Shortest)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Nn.Shapes.RequirePositive(gridPoints, nameof(gridPoints));
        var problems = new List<string>();
        var series = new List<(RunGroup Group, List<(SeedRun Seed, double[] Steps, double[] Values)> Seeds)>();
        foreach (RunGroup group in groups)
        {
            var seeds = new List<(SeedRun, double[], double[])>();
            foreach (SeedRun seed in group.Seeds)
            {
                var s = Series(seed, metric, out string? why);
                if (s is null)
                {
                    problems.Add($"{seed.Folder}: {why}; seed left out of '{metric}'");
                    continue;
                }
                seeds.Add((seed, s.Value.Steps, s.Value.Values));
            }
            series.Add((group, seeds));
        }

        if (!series.Any(g => g.Seeds.Count > 0))
        {
            return new Alignment(metric, [], [], problems);
        }
        foreach (var (group, seeds) in series)
        {
            if (seeds.Count == 0)
            {
                continue;
            }
            double[] ends = seeds.Select(s => s.Steps[^1]).Order().ToArray();
            double medianEnd = ends[ends.Length / 2];
            foreach (var short_ in seeds.Where(s => s.Steps[^1] < 0.5 * medianEnd).ToList())
            {
                problems.Add($"{short_.Seed.Folder}: '{metric}' ends at step {short_.Steps[^1]:0} while the median seed of " +
                             $"'{group.Label}' reaches {medianEnd:0} (killed early?); seed left out");
                seeds.Remove(short_);
            }
        }

        var kept = series.SelectMany(g => g.Seeds).ToList();
        double[] common = Grid(kept.Max(s => s.Steps[0]), kept.Min(s => s.Steps[^1]), gridPoints);
        var aligned = new List<AlignedGroup>();
        foreach (var (group, seeds) in series)
        {
            if (seeds.Count == 0)
            {
                problems.Add($"{group.Source}: no seed with '{metric}'; group '{group.Label}' left out");
                continue;
            }
            double ownStart = seeds.Max(s => s.Steps[0]), ownEnd = seeds.Min(s => s.Steps[^1]);
            double[] grid = mode == AlignMode.None ? Grid(ownStart, ownEnd, gridPoints) : common;
            double[][] curves = seeds.Select(s => StepHold(s.Steps, s.Values, grid)).ToArray();
            aligned.Add(new AlignedGroup(group, seeds.Select(s => s.Seed).ToList(), curves, grid) { OwnEnd = ownEnd });
        }
        double[] widest = mode == AlignMode.None ? aligned.MaxBy(g => g.Grid[^1] - g.Grid[0])!.Grid : common;
        return new Alignment(metric, widest, aligned, problems, mode);
    }

    /// <summary>Evenly spaced steps from start to end inclusive (a single point when they meet).</summary>
    public static double[] Grid(double start, double end, int points)
    {
        if (end <= start || points == 1)
        {
            return [end];
        }
        var grid = new double[points];
        for (int i = 0; i < points; i++)
        {
            grid[i] = start + (end - start) * i / (points - 1);
        }
        grid[^1] = end; // exact, so the shortest seed's last record is on the grid
        return grid;
    }

    /// <summary>
    /// The recorded series of a metric as (env step, value) pairs with NaN values removed, steps ascending;
    /// null with a reason when the seed does not have it.
    /// </summary>
    public static (double[] Steps, double[] Values)? Series(SeedRun run, string metric, out string? why)
    {
        ArgumentNullException.ThrowIfNull(run);
        why = null;
        double[] steps, values;
        if (metric == TrainReturn)
        {
            var episodes = run.Episodes();
            if (episodes is null)
            {
                why = $"no {RunFolder.Monitor}";
                return null;
            }
            steps = episodes.Value.EndSteps;
            values = RollingMean(episodes.Value.Returns, TrainReturnWindow);
        }
        else
        {
            CsvTable? table = metric == EvalReturn ? run.Eval : run.Progress;
            string column = metric == EvalReturn ? RunFolder.EvalReturnMean : metric;
            string file = metric == EvalReturn ? RunFolder.Eval : RunFolder.Progress;
            if (table is null)
            {
                why = $"no {file}";
                return null;
            }
            if (!table.Has(column) || !table.Has(RunFolder.Steps))
            {
                why = $"{table.Path} has no '{(table.Has(RunFolder.Steps) ? column : RunFolder.Steps)}' column";
                return null;
            }
            steps = table.Column(RunFolder.Steps);
            values = table.Column(column);
        }

        var s = new List<double>(steps.Length);
        var v = new List<double>(steps.Length);
        for (int i = 0; i < steps.Length; i++)
        {
            if (!double.IsNaN(values[i]) && !double.IsNaN(steps[i]))
            {
                s.Add(steps[i]);
                v.Add(values[i]);
            }
        }
        if (s.Count == 0)
        {
            why = $"'{metric}' has no recorded value";
            return null;
        }
        return (s.ToArray(), v.ToArray());
    }

    /// <summary>result[i] = mean of values[max(0, i-window+1) .. i].</summary>
    public static double[] RollingMean(ReadOnlySpan<double> values, int window)
    {
        Nn.Shapes.RequirePositive(window, nameof(window));
        var result = new double[values.Length];
        double sum = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            if (i >= window)
            {
                sum -= values[i - window];
            }
            result[i] = sum / Math.Min(i + 1, window);
        }
        return result;
    }

    /// <summary>At each grid step, the last value recorded at or before it (NaN before the first record).</summary>
    public static double[] StepHold(ReadOnlySpan<double> steps, ReadOnlySpan<double> values, ReadOnlySpan<double> grid)
    {
        if (steps.Length != values.Length)
        {
            throw new ArgumentException($"steps has {steps.Length} elements but values has {values.Length}.", nameof(values));
        }
        var result = new double[grid.Length];
        int j = -1;
        for (int i = 0; i < grid.Length; i++)
        {
            while (j + 1 < steps.Length && steps[j + 1] <= grid[i])
            {
                j++;
            }
            result[i] = j >= 0 ? values[j] : double.NaN;
        }
        return result;
    }
}
