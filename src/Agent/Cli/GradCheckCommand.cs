using DqnStudy.Nn.Diagnostics;
using System.CommandLine;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Studies.Gradients;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Cli;

/// <summary>`gradcheck --config X.yaml`: backprop of the configured network and loss against finite differences.
/// Exit 0 = every tensor passed, 1 = some tensor failed, 2 = bad input.</summary>
public static class GradCheckCommand
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "YAML config whose network and loss are checked, e.g. huber.yaml" };
        var batch = new Option<int>("--batch") { Description = "Samples (recurrent: sequences) in the checked batch", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights, states, actions and targets", DefaultValueFactory = _ => 0 };
        var blas = new Option<string?>("--blas") { Description = "BLAS provider: auto | mkl | managed [default: the config's]" };
        var defaults = new GradientCheckSettings();
        var eps = new Option<double>("--eps") { Description = "Finite-difference step", DefaultValueFactory = _ => defaults.Eps };
        var tolerance = new Option<double>("--tolerance") { Description = "Largest relative error that passes", DefaultValueFactory = _ => defaults.Tolerance };
        var command = new Command("gradcheck", "Check the configured network's backprop against centred finite differences, tensor by tensor.")
        {
            config, batch, seed, blas, eps, tolerance,
        };
        command.SetAction(parse => Run(parse.GetValue(config), parse.GetValue(batch), parse.GetValue(seed), parse.GetValue(blas),
                                       defaults with { Eps = parse.GetValue(eps), Tolerance = parse.GetValue(tolerance) }, Console.Out, Console.Error));
        return command;
    }

    public static int Run(string? configPath, int batch, int seed, string? blasMode, GradientCheckSettings settings, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (string.IsNullOrWhiteSpace(configPath))
        {
            error.WriteLine("error: --config is required, e.g. `gradcheck --config huber.yaml`.");
            return BadInput;
        }
        if (batch < 1)
        {
            error.WriteLine($"error: --batch must be at least 1, not {batch}.");
            return BadInput;
        }
        try
        {
            settings.Validate();
            DqnConfig loaded = ConfigLoader.LoadWith(ConfigLoader.Resolve(configPath), blasMode is null ? [] : [new ConfigOverride($"blas={blasMode}", "--blas")], EnvironmentRegistry.Ids);
            IBlas blas = BlasSelector.Create(DqnComponents.Name(loaded.Blas), loaded.BlasThreads).Blas;
            GradientCheckReport report = GradientChecker.Run(GradCheckSetup.Create(loaded, blas, batch, seed), settings);
            GradientChecker.Write(report, output);
            return report.Passed ? Passed : Failed;
        }
        catch (Exception e) when (e is ConfigException or BlasUnavailableException or ArgumentException)
        {
            error.WriteLine($"error: {e.Message}");
            return BadInput;
        }
    }
}
