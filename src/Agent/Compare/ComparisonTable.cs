using Spectre.Console;

namespace DqnStudy.Agent.Compare;

/// <summary>The console view: a Spectre.Console table on a terminal, plain aligned text when output is redirected.</summary>
public static class ComparisonTable
{
    public static void Write(ComparisonResult result, TextWriter output, bool ansi)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        string title = $"{result.EnvId} · {CompareFigures.MetricTitle(result.Metric)}";
        if (!ansi)
        {
            output.WriteLine(title);
            output.Write(ComparisonReport.PlainTable(ComparisonReport.TableHeader, ComparisonReport.TableRows(result)));
            if (result.Pairs.Count > 0)
            {
                output.WriteLine();
                output.Write(ComparisonReport.PlainTable(ComparisonReport.PairHeader, ComparisonReport.PairRows(result)));
            }
            return;
        }

        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.Write(Build(title, ComparisonReport.TableHeader, ComparisonReport.TableRows(result)));
        if (result.Pairs.Count > 0)
        {
            console.Write(Build("Pairwise (last-10% means)", ComparisonReport.PairHeader, ComparisonReport.PairRows(result)));
        }
    }

    private static Table Build(string title, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)), Border = TableBorder.Rounded };
        foreach (string h in header)
        {
            table.AddColumn(new TableColumn(Markup.Escape(h)));
        }
        foreach (string[] row in rows)
        {
            table.AddRow(row.Select(c => new Markup(Markup.Escape(c))).ToArray<Spectre.Console.Rendering.IRenderable>());
        }
        return table;
    }
}
