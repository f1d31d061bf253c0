using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Hosting;
using Spectre.Console;

namespace DqnStudy.Agent.Tests.Hosting;

public sealed class ProgressDisplayTests
{
    [Fact]
    public async Task ALineWrittenDuringTheLiveTableLandsAboveItAndTheTableIsRedrawnBelow()
    {
        var (console, writer) = Terminal(160, ansi: true);
        var display = new ProgressDisplay(interactive: true, TimeSpan.FromSeconds(10), console);
        using var stop = new CancellationTokenSource();

        Task live = display.RunAsync([new TrainingProgress(0, 1000) { State = "training", Steps = 10 }], stop.Token);
        display.WriteLine("Stopping: finishing the current step");
        await stop.CancelAsync();
        await live;

        string text = writer.ToString();
        int line = text.IndexOf("Stopping: finishing the current step", StringComparison.Ordinal);
        Assert.True(line >= 0, "the line went around the live display's console");
        Assert.True(text.LastIndexOf("DqnStudy training", StringComparison.Ordinal) > line, "the table was not redrawn below the line");
        // The line erases the table lines it lands on, so no border shows beside a short line.
        Assert.Equal(ProgressDisplay.EraseBelow, text[(line - ProgressDisplay.EraseBelow.Length)..line]);
    }

    /// <param name="ansi">an interactive ANSI terminal (the live table), else a plain one (redirected output).</param>
    private static (IAnsiConsole Console, StringWriter Writer) Terminal(int width, bool ansi = false)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = ansi ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;
        return (console, writer);
    }

    private static TrainingProgress[] BusySeeds() => Enumerable.Range(0, 8).Select(s => new TrainingProgress(s, 20_000_000)
    {
        State = s < 2 ? "completed" : s < 6 ? "training" : "starting",
        Steps = s < 2 ? 20_000_000 : s < 6 ? 12_345_678 : 0,
        Episodes = 123_456, Last100Return = 487.3, LastEvalReturn = 500, Epsilon = 0.05, Loss = 0.000123456,
        StepsPerSecond = s is >= 2 and < 6 ? 12_345 : 0,
    }).ToArray();

    [Theory]
    [InlineData(80)]
    [InlineData(60)]
    [InlineData(100)]
    public void TheTable_FitsTheTerminal_WithoutWrappingACell(int width)
    {
        var (console, writer) = Terminal(width);
        TrainingProgress[] seeds = BusySeeds();
        console.Write(ProgressTable.Build(seeds, width));
        string[] lines = writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        // Title, top border, header, rule, 8 seeds, rule, overall row, bottom border: one line each, so nothing wrapped.
        Assert.Equal(1 + 1 + 1 + 1 + seeds.Length + 1 + 1 + 1, lines.Length);
        string text = string.Join('\n', lines);
        Assert.Contains("12,345,678/20,000,000", text, StringComparison.Ordinal);   // whole values, never split
        Assert.Contains("all", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AWideTerminal_ShowsEveryColumn_AndTheOverallRow()
    {
        var (console, writer) = Terminal(200);
        TrainingProgress[] seeds = BusySeeds();
        console.Write(ProgressTable.Build(seeds, 200));
        string text = writer.ToString();
        foreach (string header in new[] { "state", "steps/s", "episodes", "return (last 100)", "eval return", "ε", "loss", "ETA" })
            Assert.Contains(header, text, StringComparison.Ordinal);
        Assert.Contains("2/8 done", text, StringComparison.Ordinal);
        Assert.Contains("49,380", text, StringComparison.Ordinal);                  // 4 seeds × 12,345 steps/s
        // Remaining: 4 × 7,654,322 (training) + 2 × 20,000,000 (starting) = 70,617,288 steps at 49,380/s = 1,430 s.
        Assert.Contains("23:50", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishedAndThroughput_ComeAfterTheTablesLastRedraw()
    {
        using var run = new EndToEnd.TinyRun();
        var plan = new Agent.Runs.TrainingPlan(run.Load("training.total_steps=300"), [0], run.RunsRoot, "closing", false, 1, "managed");
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 80;
        var display = new ProgressDisplay(interactive: true, TimeSpan.FromSeconds(10), console);
        using var runner = new SeedRunner(plan, display.WriteLine);
        runner.Prepare();
        var service = new TrainingService(runner, display, new Lifetime());
        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!;

        string text = writer.ToString();
        int finished = text.IndexOf("Finished: 1 completed", StringComparison.Ordinal);
        int throughput = text.IndexOf("Throughput:", StringComparison.Ordinal);
        Assert.True(finished >= 0 && throughput > finished, text);
        Assert.True(text.LastIndexOf(ProgressTable.Title, StringComparison.Ordinal) < finished, "the table was redrawn after the closing lines");
    }

    private sealed class Lifetime : Microsoft.Extensions.Hosting.IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
