using System.Globalization;

namespace DqnStudy.Agent.Compare;

/// <summary>
/// The backprop instruments of progress.csv (dead/inactive ReLU share, sigmoid/tanh local gradient and
/// saturated share, update-to-weight ratio, weight-gradient norms, recurrent dh norms and W_hh spectra),
/// summarised per group as "first measured → last measured", each the mean over the group's seeds.
/// </summary>
public static class InstrumentSummary
{
    private static readonly string[] Prefixes =
        ["dead_share_", "inactive_share_", "local_grad_", "saturated_share_", "update_ratio_", "grad_norm_w_",
         "spectral_radius_", "spectral_norm_", "dh_norm_t"];

    /// <summary>One row per instrument column any group logged: the column, then one cell per group.</summary>
    public static IReadOnlyList<string[]> Rows(IReadOnlyList<RunGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var columns = groups.SelectMany(g => g.Seeds).Select(s => s.Progress).OfType<CsvTable>()
                            .SelectMany(p => p.ColumnNames).Where(IsInstrument).Distinct().ToList();
        var rows = new List<string[]>();
        foreach (string column in columns)
        {
            var row = new List<string> { column };
            foreach (RunGroup group in groups) row.Add(Cell(group, column));
            rows.Add([.. row]);
        }
        return rows;
    }

    public static bool IsInstrument(string column) => Prefixes.Any(p => column.StartsWith(p, StringComparison.Ordinal));

    private static string Cell(RunGroup group, string column)
    {
        var firsts = new List<double>();
        var lasts = new List<double>();
        foreach (SeedRun seed in group.Seeds)
        {
            if (seed.Progress is not { } progress || !progress.Has(column)) continue;
            double[] values = progress.Column(column).Where(double.IsFinite).ToArray();
            if (values.Length == 0) continue;
            firsts.Add(values[0]);
            lasts.Add(values[^1]);
        }
        return firsts.Count == 0
            ? "—"
            : string.Create(CultureInfo.InvariantCulture, $"{firsts.Average():G3} → {lasts.Average():G3}");
    }
}
