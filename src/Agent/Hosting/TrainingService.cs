using Microsoft.Extensions.Hosting;

namespace DqnStudy.Agent.Hosting;

/// <summary>Runs the training plan inside the generic host and turns its outcome into the exit code
/// (on .NET 10 the host itself exits 0 after a failed BackgroundService, so the code is set here).</summary>
public sealed class TrainingService(SeedRunner runner, ProgressDisplay display, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var displayStop = new CancellationTokenSource();
        var displayTask = display.RunAsync(runner.Progress, displayStop.Token);
        Exception? crash = null;
        try
        {
            Environment.ExitCode = await Task.Factory.StartNew(() => runner.Run(stoppingToken), TaskCreationOptions.LongRunning);
        }
        catch (Exception e)
        {
            crash = e;
            Environment.ExitCode = ExitCodes.Failed;
        }
        finally
        {
            displayStop.Cancel();
            await displayTask;
            foreach (string line in runner.ClosingLines) display.WriteLine(line);   // after the table's last redraw
            if (crash is not null) Console.Error.WriteLine($"error: {crash}");   // after the live table, not through it
            lifetime.StopApplication();
        }
    }
}
