using System.Globalization;
using DqnStudy.Agent.Dqn;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DqnStudy.Agent.Hosting;

/// <summary>
/// Shows training as it happens: on a terminal a live table fitted to its width (<see cref="ProgressTable"/>: one
/// row per seed and an overall row); when output is redirected, a plain line per seed every
/// `plainInterval`, so logs stay readable in files and CI. Lines written while it runs go through <see cref="WriteLine"/>:
/// on a terminal the live display's render hook then prints them above the table and redraws it below, instead of a
/// bare Console.WriteLine landing on top of the table (e.g. "Stopping..." on Ctrl+C).
/// </summary>
public sealed class ProgressDisplay(bool interactive, TimeSpan plainInterval, IAnsiConsole? console = null)
{
    private readonly IAnsiConsole _console = console ?? AnsiConsole.Console;
    private readonly Lock _output = new();

    /// <summary>One line of log text (not markup), safe from any thread, with or without the live table running.</summary>
    public void WriteLine(string line)
    {
        lock (_output)
        {
            if (interactive) _console.Write(new ClearedLine(line));
            else Console.WriteLine(line);
        }
    }

    public async Task RunAsync(IReadOnlyList<TrainingProgress> seeds, CancellationToken stop)
    {
        if (seeds.Count == 0) return;
        if (interactive) await LiveAsync(seeds, stop);
        else await PlainAsync(seeds, stop);
    }

    private async Task LiveAsync(IReadOnlyList<TrainingProgress> seeds, CancellationToken stop)
    {
        var table = ProgressTable.Build(seeds, _console.Profile.Width);
        await _console.Live(table).AutoClear(false).StartAsync(async context =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(500, stop); } catch (OperationCanceledException) { }
                context.UpdateTarget(ProgressTable.Build(seeds, _console.Profile.Width));
            }
        });
    }

    private async Task PlainAsync(IReadOnlyList<TrainingProgress> seeds, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(plainInterval, stop); } catch (OperationCanceledException) { break; }
            foreach (var p in seeds.Where(p => p.State == "training")) WriteLine(PlainLine(p));
        }
    }

    /// <summary>
    /// A line that first erases the screen below the cursor. The live display's hook moves the cursor up to the
    /// table's first line before writing it and redraws the table after it; without the erase, a line shorter than
    /// the table line it lands on (or the tail of a wrapped one) would leave that line's border showing.
    /// </summary>
    private sealed class ClearedLine(string line) : IRenderable
    {
        private readonly Text _text = new(line);

        public Measurement Measure(RenderOptions options, int maxWidth) => ((IRenderable)_text).Measure(options, maxWidth);

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
            [Segment.Control(EraseBelow), .. ((IRenderable)_text).Render(options, maxWidth), Segment.LineBreak];
    }

    internal const string EraseBelow = "\u001b[0J";

    public static string PlainLine(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"seed {p.Seed}: step {p.Steps:N0}/{p.TotalSteps:N0} ({100.0 * p.Steps / p.TotalSteps:F0}%), {p.StepsPerSecond:N0} steps/s, " +
        $"{p.Episodes:N0} episodes, last-100 return {ProgressTable.Format(p.Last100Return)}, eval {ProgressTable.Format(p.LastEvalReturn)} (best {ProgressTable.Format(p.BestEvalReturn)}), eps {p.Epsilon:F3}, loss {ProgressTable.Format(p.Loss, "G4")}, ETA {ProgressTable.Eta(p)}");
}
