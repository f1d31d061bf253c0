using System.CommandLine;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Hosting;
using DqnStudy.Agent.Runs;
using DqnStudy.Environments;

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

    /// <summary>`train --config …`: the same command as the default one, for users who type the verb.</summary>
    public static Command CreateVerb()
    {
        var train = new Command("train", "Train DQN on a config, one folder per seed (the default command: `--config X.yaml` alone trains too).");
        AddTo(train);
        return train;
    }

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
            return ExitCodes.BadInput;
        }

        if (parse.GetValue(Seed) is not null && parse.GetValue(Seeds) is not null)
        {
            Console.Error.WriteLine("error: --seed and --seeds conflict: --seed N trains seed N only, --seeds N trains seeds 0..N-1; give one of them.");
            return ExitCodes.BadInput;
        }

        // Command-line shortcuts become config overrides, so the config's validation covers them too; an error
        // names the option the user typed.
        var overrides = (parse.GetValue(Set) ?? []).Select(s => new ConfigOverride(s)).ToList();
        if (parse.GetValue(Steps) is { } steps) overrides.Add(new($"training.total_steps={steps}", Steps.Name));
        if (parse.GetValue(Seeds) is { } seedCount) overrides.Add(new($"training.seeds={seedCount}", Seeds.Name));
        if (parse.GetValue(Blas) is { } blas) overrides.Add(new($"blas={blas}", Blas.Name));

        DqnConfig config;
        try
        {
            config = ConfigLoader.LoadWith(ConfigLoader.Resolve(configPath), overrides, EnvironmentRegistry.Ids);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }

        try
        {
            DqnComponents.CreateEnvironment(config);
        }
        catch (ArgumentException e)
        {
            // ArgumentException.Message ends in " (Parameter 'kwargs')": the user wrote no parameter of that name.
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);
            Console.Error.WriteLine($"{configPath}: env_kwargs: {message}");
            return ExitCodes.BadInput;
        }
        if (config.Network.Type == NetworkKind.Conv
            && ConvNetworkLayout.Problem(config.Network, DqnComponents.CreateEnvironment(config).ObservationSpace.Shape, config.EnvId) is { } problem)
        {
            Console.Error.WriteLine($"{configPath}: {problem}");
            return ExitCodes.BadInput;
        }

        if (parse.GetValue(Seed) is { } one && one < 0)
        {
            Console.Error.WriteLine($"error: --seed must be 0 or more, not {one}.");
            return ExitCodes.BadInput;
        }
        int parallel = parse.GetValue(Parallel);
        if (parallel < 1)
        {
            Console.Error.WriteLine($"error: --parallel must be at least 1, not {parallel}.");
            return ExitCodes.BadInput;
        }
        IReadOnlyList<int> seeds = parse.GetValue(Seed) is { } single ? [single] : Enumerable.Range(0, config.Training.Seeds).ToArray();
        var plan = new TrainingPlan(config, seeds, parse.GetValue(Out) ?? "runs", parse.GetValue(Name) ?? config.Name,
                                    parse.GetValue(Resume), parallel, DqnComponents.Name(config.Blas));
        return await TrainingHost.RunPlanAsync(plan);
    }
}
