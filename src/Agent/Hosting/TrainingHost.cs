using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Runs;
using DqnStudy.Nn.Blas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DqnStudy.Agent.Hosting;

/// <summary>
/// The host around a training plan, for every command that trains (train, study, sweep): BLAS and folder
/// checks before anything runs (exit 2), the live display, the generic host with its console lifetime
/// (Ctrl+C and SIGTERM stop the seeds at a checkpoint) and <see cref="TrainingService"/>.
/// </summary>
public static class TrainingHost
{
    public static async Task<int> RunPlanAsync(TrainingPlan plan)
    {
        // Every line goes through the display, so none lands on top of the live table.
        var display = new ProgressDisplay(!Console.IsOutputRedirected, TimeSpan.FromSeconds(10));
        void Log(string line) => display.WriteLine(line);

        using var runner = new SeedRunner(plan, Log);
        BlasSelection blas;
        try
        {
            blas = BlasSelector.Create(plan.BlasMode, plan.Config.BlasThreads); // an explicit `mkl` that cannot load stops here
            runner.Prepare();
        }
        catch (Exception e) when (e is RunFolderException or BlasUnavailableException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (ArgumentException e) when (e.ParamName == BlasSelector.EnvironmentVariable)
        {
            // A typo in DQNSTUDY_BLAS is bad input like any other, not a crash with a stack trace.
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }

        Log($"Training '{plan.Config.Name}' on {plan.Config.EnvId}: seeds {string.Join(", ", runner.Progress.Select(p => p.Seed))}, "
            + $"{plan.Config.Training.TotalSteps:N0} steps each, loss {DqnComponents.Name(plan.Config.Loss.Type)}, {Math.Min(plan.Parallel, Math.Max(1, runner.Progress.Count))} in parallel -> {plan.GroupFolder}");
        Log($"BLAS: {blas.Reason}");

        // No defaults: the app reads no appsettings.json, environment or command-line configuration and logs through
        // no provider, and the defaults' appsettings watcher on the content root (the current folder, where runs/ is
        // being written) kept a ".NET File Watch" thread busy during training. The console lifetime (Ctrl+C, SIGTERM
        // -> graceful stop) is registered by the host either way.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(5));
        builder.Services.AddSingleton(plan);
        builder.Services.AddSingleton(runner);
        builder.Services.AddSingleton(display);
        builder.Services.AddHostedService<TrainingService>();
        using var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Register(() =>
        {
            if (Environment.ExitCode == 0 && runner.Progress.Any(p => p.State == "training"))
                Log("Stopping: finishing the current step, saving checkpoints and flushing logs (resume with --resume)...");
        });
        await host.RunAsync();
        return Environment.ExitCode;
    }
}
