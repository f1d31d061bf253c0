using System.CommandLine;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Hosting;
using DqnStudy.Agent.Runs;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DqnStudy.Agent.Cli;

/// <summary>The default command: train DQN on a config, one folder per seed.</summary>
public static class TrainCommand
{
    public static readonly Option<string> Config = new("--config", "-c")
    { Description = "YAML config to train (as given, else under configs/), e.g. huber.yaml" };
    public static readonly Option<int?> Seeds = new("--seeds")
    { Description = "Train seeds 0..N-1 [default: the config's training.seeds]" };
    public static readonly Option<int?> Seed = new("--seed")
    { Description = "Train this one seed only" };
    public static readonly Option<long?> Steps = new("--steps")
    { Description = "Env steps per seed [default: the config's training.total_steps]" };
    public static readonly Option<string> Out = new("--out")
    { Description = "Runs root folder", DefaultValueFactory = _ => "runs" };
    public static readonly Option<string?> Name = new("--name")
    { Description = "Run name: runs go to <out>/<name>/seed-<n> [default: the config's name]" };
    public static readonly Option<string[]> Set = new("--set")
    { Description = "Override a config key, e.g. --set dqn.gamma=0.98 (repeatable)", AllowMultipleArgumentsPerToken = false };
    public static readonly Option<string?> Blas = new("--blas")
    { Description = "BLAS provider: auto | mkl | managed [default: the config's blas; DQNSTUDY_BLAS overrides]" };
    public static readonly Option<int> Parallel = new("--parallel")
    { Description = "Seeds trained at once (one BLAS thread each)", DefaultValueFactory = _ => Environment.ProcessorCount };
    public static readonly Option<bool> Resume = new("--resume")
    { Description = "Continue an interrupted run from its last checkpoint (the config must match)" };

    public static void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Config, Seeds, Seed, Steps, Out, Name, Set, Blas, Parallel, Resume })
            command.Options.Add(option);
        command.SetAction((parse, cancel) => RunAsync(parse));
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        string? configPath = parse.GetValue(Config);
        if (string.IsNullOrWhiteSpace(configPath))
        {
            Console.Error.WriteLine("error: --config is required, e.g. `--config huber.yaml` (configs are looked up under configs/). See --help.");
            return TrainingRunner.ExitBadInput;
        }

        // Command-line shortcuts become config overrides, so the config's validation covers them too.
        var overrides = new List<string>(parse.GetValue(Set) ?? []);
        if (parse.GetValue(Steps) is { } steps) overrides.Add($"training.total_steps={steps}");
        if (parse.GetValue(Seeds) is { } seedCount) overrides.Add($"training.seeds={seedCount}");
        if (parse.GetValue(Blas) is { } blas) overrides.Add($"blas={blas}");

        DqnConfig config;
        try
        {
            config = ConfigLoader.Load(ConfigLoader.Resolve(configPath), overrides, EnvironmentRegistry.Ids);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine(e.Message);
            return TrainingRunner.ExitBadInput;
        }

        try
        {
            DqnComponents.CreateEnvironment(config);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{configPath}: env_kwargs: {e.Message}");
            return TrainingRunner.ExitBadInput;
        }
        if (config.Network.Type == NetworkKind.Conv
            && ConvNetworkLayout.Problem(config.Network, DqnComponents.CreateEnvironment(config).ObservationSpace.Shape, config.EnvId) is { } problem)
        {
            Console.Error.WriteLine($"{configPath}: {problem}");
            return TrainingRunner.ExitBadInput;
        }

        if (parse.GetValue(Seed) is { } one && one < 0)
        {
            Console.Error.WriteLine($"error: --seed must be 0 or more, not {one}.");
            return TrainingRunner.ExitBadInput;
        }
        int parallel = parse.GetValue(Parallel);
        if (parallel < 1)
        {
            Console.Error.WriteLine($"error: --parallel must be at least 1, not {parallel}.");
            return TrainingRunner.ExitBadInput;
        }
        IReadOnlyList<int> seeds = parse.GetValue(Seed) is { } single ? [single] : Enumerable.Range(0, config.Training.Seeds).ToArray();
        var plan = new TrainingPlan(config, seeds, parse.GetValue(Out) ?? "runs", parse.GetValue(Name) ?? config.Name,
                                    parse.GetValue(Resume), parallel, DqnComponents.Name(config.Blas));
        return await RunPlanAsync(plan);
    }

    public static async Task<int> RunPlanAsync(TrainingPlan plan)
    {
        // Every line goes through the display, so none lands on top of the live table.
        var display = new ProgressDisplay(!Console.IsOutputRedirected, TimeSpan.FromSeconds(10));
        void Log(string line) => display.WriteLine(line);

        using var runner = new TrainingRunner(plan, Log);
        BlasSelection blas;
        try
        {
            blas = BlasSelector.Create(plan.BlasMode, plan.Config.BlasThreads); // an explicit `mkl` that cannot load stops here
            runner.Prepare();
        }
        catch (Exception e) when (e is RunFolderException or BlasUnavailableException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return TrainingRunner.ExitBadInput;
        }
        catch (ArgumentException e) when (e.ParamName == BlasSelector.EnvironmentVariable)
        {
            // A typo in DQNSTUDY_BLAS is bad input like any other, not a crash with a stack trace.
            Console.Error.WriteLine($"error: {e.Message}");
            return TrainingRunner.ExitBadInput;
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
