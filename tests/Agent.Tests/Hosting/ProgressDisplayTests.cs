using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Hosting;
using Spectre.Console;

namespace DqnStudy.Agent.Tests.Hosting;

public sealed class ProgressDisplayTests
{
    [Fact]
    public async Task ALineWrittenDuringTheLiveTableLandsAboveItAndTheTableIsRedrawnBelow()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 160;
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
}
