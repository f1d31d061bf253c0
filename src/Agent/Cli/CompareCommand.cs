using System.CommandLine;
using DqnStudy.Agent.Compare;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Sweeps;

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
            Arity = ArgumentArity.ZeroOrMore,
        };
        var sweep = new Option<string?>("--sweep")
        {
            Description = "Compare a sweep's groups (one per config and grid point) instead of RUNS.",
        };
        var sweepRoot = new Option<string>("--sweep-root")
        {
            Description = "With --sweep: the runs root the sweep wrote to.",
            DefaultValueFactory = _ => "runs",
        };
        var labels = new Option<string[]>("--label")
        {
            Description = "Rename the groups, in argument order (repeat: --label huber --label clipped).",
            DefaultValueFactory = _ => [],
        };
        var output = new Option<string?>("--out")
        {
            Description = "Output folder (must be new or empty). Default: a new folder under runs/compare/ (with --sweep: the sweep's compare/).",
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

        var align = new Option<AlignMode>("--align")
        {
            Description = "shortest: compare every group over the steps all of them reached (like with like); none: each group over its own run.",
            DefaultValueFactory = _ => AlignMode.Shortest,
        };
        var export = new Option<string?>("--export")
        {
            Description = "Also write the aligned curves and the statistics as CSV and JSON (long format, for pandas) and each group's monitor files as a Stable-Baselines3 folder, into this folder.",
            DefaultValueFactory = _ => null,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Write over an earlier comparison's --out (or --export) folder instead of refusing.",
        };

        var command = new Command("compare", "Compare run groups across seeds: learning curves, statistics with bootstrap CIs, figures, report.md and report.html.")
        {
            runs, labels, output, metric, threshold, resamples, seed, sweep, sweepRoot, align, export, force,
        };
        command.SetAction(parseResult =>
        {
            IReadOnlyList<string> groups = parseResult.GetValue(runs) ?? [];
            IReadOnlyList<string> names = parseResult.GetValue(labels) ?? [];
            string? outFolder = parseResult.GetValue(output);
            if (parseResult.GetValue(sweep) is { } sweepFile)
            {
                if (groups.Count > 0 || names.Count > 0)
                {
                    Console.Error.WriteLine("error: --sweep names the groups itself; leave out RUNS and --label.");
                    return CompareJob.BadInput;
                }
                SweepPlan plan;
                try
                {
                    plan = SweepPlan.Load(sweepFile);
                }
                catch (ConfigException e)
                {
                    Console.Error.WriteLine(e.Message);
                    return CompareJob.BadInput;
                }
                string root = parseResult.GetValue(sweepRoot) ?? "runs";
                (groups, names) = SweepGroups.For(plan, root);
                outFolder ??= SweepGroups.ReportFolder(plan, root);
            }
            else if (groups.Count == 0)
            {
                Console.Error.WriteLine("error: name the run groups to compare (RUNS), or a sweep file with --sweep. See --help.");
                return CompareJob.BadInput;
            }
            var options = new CompareOptions(
                groups, names, outFolder,
                parseResult.GetValue(metric) ?? CurveAligner.TrainReturn, parseResult.GetValue(threshold),
                parseResult.GetValue(resamples), parseResult.GetValue(seed),
                MadeBy.FromProcess(), parseResult.GetValue(align), parseResult.GetValue(export), parseResult.GetValue(force));
            return CompareJob.Run(options, rewardThresholdForEnv, Console.Out, ansi: !Console.IsOutputRedirected, out _, Console.Error);
        });
        return command;
    }
}
