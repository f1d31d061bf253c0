using System.CommandLine;
using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Cli;

/// <summary>`compare RUNS...`: a thin shell over <see cref="CompareJob"/>.</summary>
public static class CompareCommand
{
    public static Command Create(Func<string, double?> rewardThresholdForEnv)
    {
        ArgumentNullException.ThrowIfNull(rewardThresholdForEnv);
        var runs = new Argument<string[]>("runs")
        {
            Description = "Run groups: a group folder holding seed-*/, a single seed folder, or a quoted glob (its matches form one group).",
            Arity = ArgumentArity.OneOrMore,
        };
        var labels = new Option<string[]>("--label")
        {
            Description = "Rename the groups, in argument order (repeat: --label huber --label clipped).",
            DefaultValueFactory = _ => [],
        };
        var output = new Option<string?>("--out")
        {
            Description = "Output folder (must be new or empty). Default: a new folder under runs/compare/.",
            DefaultValueFactory = _ => null,
        };
        var metric = new Option<string>("--metric")
        {
            Description = "train_return (monitor.csv, mean of the last 100 episodes), eval_return (eval.csv) or any progress.csv column.",
            DefaultValueFactory = _ => CurveAligner.TrainReturn,
        };
        var threshold = new Option<double?>("--threshold")
        {
            Description = "Return threshold for steps-to-threshold. Default: the env's reward threshold (for return metrics).",
            DefaultValueFactory = _ => null,
        };
        var resamples = new Option<int>("--resamples")
        {
            Description = "Bootstrap resamples (at least 2000).",
            DefaultValueFactory = _ => 2000,
        };
        var seed = new Option<int>("--bootstrap-seed")
        {
            Description = "Seed of the bootstrap, so the intervals are reproducible.",
            DefaultValueFactory = _ => 0,
        };

        var command = new Command("compare", "Compare run groups across seeds: learning curves, statistics with bootstrap CIs, figures and report.md.")
        {
            runs, labels, output, metric, threshold, resamples, seed,
        };
        command.SetAction(parseResult =>
        {
            var options = new CompareOptions(
                parseResult.GetValue(runs) ?? [], parseResult.GetValue(labels) ?? [], parseResult.GetValue(output),
                parseResult.GetValue(metric) ?? CurveAligner.TrainReturn, parseResult.GetValue(threshold),
                parseResult.GetValue(resamples), parseResult.GetValue(seed),
                MadeBy.FromProcess());
            return CompareJob.Run(options, rewardThresholdForEnv, Console.Out, ansi: !Console.IsOutputRedirected, out _);
        });
        return command;
    }
}
