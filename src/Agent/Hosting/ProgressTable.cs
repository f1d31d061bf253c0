using System.Globalization;
using DqnStudy.Agent.Dqn;
using Spectre.Console;

namespace DqnStudy.Agent.Hosting;

/// <summary>
/// The live table's content, fitted to the terminal: one row per seed and an overall row (the seeds' summed steps/s,
/// seeds done, the ETA of the whole plan at that rate). A cell never wraps: when the full headers do not fit, short
/// ones are used; when that is still too wide, the least needed columns are dropped (episodes first, the seed, its
/// steps and its ETA last).
/// </summary>
public static class ProgressTable
{
    public const string Title = "DqnStudy training";

    private sealed record Column(string Header, string Short, Func<TrainingProgress, string> Cell, Func<IReadOnlyList<TrainingProgress>, string> Overall);

    // In the order shown; Keep lists them from most to least needed.
    private static readonly Column[] Columns =
    [
        new("seed", "seed", p => p.Seed.ToString(CultureInfo.InvariantCulture), _ => "all"),
        new("state", "state", p => p.State, s => $"{s.Count(p => p.State == "completed")}/{s.Count} done"),
        new("steps", "steps", p => Inv($"{p.Steps:N0}/{p.TotalSteps:N0}"), s => Inv($"{s.Sum(p => p.Steps):N0}/{s.Sum(p => p.TotalSteps):N0}")),
        new("steps/s", "sps", p => Inv($"{p.StepsPerSecond:N0}"), s => Inv($"{Training(s).Sum(p => p.StepsPerSecond):N0}")),
        new("episodes", "eps.", p => Inv($"{p.Episodes:N0}"), s => Inv($"{s.Sum(p => p.Episodes):N0}")),
        new("return (last 100)", "ret100", p => Format(p.Last100Return), s => Format(Mean(s, p => p.Last100Return))),
        new("eval return", "eval", p => Format(p.LastEvalReturn), s => Format(Mean(s, p => p.LastEvalReturn))),
        new("best eval", "best", p => Format(p.BestEvalReturn), s => Format(Mean(s, p => p.BestEvalReturn))),
        new("ε", "ε", p => p.Epsilon.ToString("F3", CultureInfo.InvariantCulture), _ => ""),
        new("loss", "loss", p => Format(p.Loss, "G4"), _ => ""),
        new("ETA", "ETA", Eta, OverallEta),
    ];

    private static readonly string[] Keep = ["seed", "steps", "ETA", "return (last 100)", "steps/s", "eval return", "best eval", "state", "loss", "ε", "episodes"];

    /// <summary>The table for `seeds`, at most `width` characters wide.</summary>
    public static Table Build(IReadOnlyList<TrainingProgress> seeds, int width)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var cells = Columns.Select(c => seeds.Select(c.Cell).Append(c.Overall(seeds)).ToArray()).ToArray();
        var shown = Enumerable.Range(0, Columns.Length).ToList();
        bool shortHeaders = false;
        while (Width(shown, cells, shortHeaders) > width && shown.Count > 1)
        {
            if (!shortHeaders) { shortHeaders = true; continue; }
            shown.Remove(shown.MaxBy(i => Array.IndexOf(Keep, Columns[i].Header)));
        }

        var table = new Table().Border(TableBorder.Rounded).Title(Title);
        table.ShowFooters = true;
        foreach (int i in shown)
        {
            table.AddColumn(new TableColumn(Markup.Escape(shortHeaders ? Columns[i].Short : Columns[i].Header))
                .RightAligned().NoWrap().Footer(Markup.Escape(cells[i][^1])));
        }
        for (int row = 0; row < seeds.Count; row++) table.AddRow(shown.Select(i => Markup.Escape(cells[i][row])).ToArray());
        return table;
    }

    /// <summary>The rendered width: each column's widest cell plus one space each side and a border, plus the last border.</summary>
    private static int Width(List<int> shown, string[][] cells, bool shortHeaders) =>
        1 + shown.Sum(i => 3 + Math.Max((shortHeaders ? Columns[i].Short : Columns[i].Header).Length, cells[i].Max(c => c.Length)));

    private static IEnumerable<TrainingProgress> Training(IReadOnlyList<TrainingProgress> seeds) => seeds.Where(p => p.State == "training");

    private static double Mean(IReadOnlyList<TrainingProgress> seeds, Func<TrainingProgress, double> value)
    {
        var values = seeds.Select(value).Where(double.IsFinite).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }

    internal static string Format(double value, string format = "F1") =>
        double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    internal static string Eta(TrainingProgress p)
    {
        if (p.State != "training" || p.StepsPerSecond <= 0) return p.State == "completed" ? "done" : "–";
        return Duration((p.TotalSteps - p.Steps) / p.StepsPerSecond);
    }

    /// <summary>Every seed's remaining steps (started or not) at the summed rate of the seeds training now.</summary>
    private static string OverallEta(IReadOnlyList<TrainingProgress> seeds)
    {
        if (seeds.All(p => p.State == "completed")) return "done";
        double rate = Training(seeds).Sum(p => p.StepsPerSecond);
        if (rate <= 0) return "–";
        return Duration(seeds.Where(p => p.State is "training" or "starting").Sum(p => p.TotalSteps - p.Steps) / rate);
    }

    private static string Duration(double seconds)
    {
        var eta = TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 2));
        return eta.TotalHours >= 1 ? Inv($"{(int)eta.TotalHours}:{eta:mm\\:ss}") : eta.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
