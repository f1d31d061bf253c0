using System.CommandLine;
using System.Globalization;
using DqnStudy.Agent.Studies;
using DqnStudy.Agent.Studies.Exploding;

namespace DqnStudy.Agent.Cli;

/// <summary>`study NAME | study list`: a thin shell over <see cref="StudyJob"/> and <see cref="StudyCatalog"/>.</summary>
public static class StudyCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "A study (clipping, sigmoid, relu, rnn-dqn, rnn-exploding) or `list`" };
        var seeds = new Option<int?>("--seeds") { Description = "Seeds per config [default: each config's training.seeds]" };
        var steps = new Option<long?>("--steps") { Description = "Env steps per seed [default: each config's training.total_steps]" };
        var parallel = new Option<int>("--parallel") { Description = "Seeds trained at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--out") { Description = "Runs root: runs go to <out>/study-<name>/<config>/seed-<n>", DefaultValueFactory = _ => "runs" };
        var blas = new Option<string?>("--blas") { Description = "BLAS provider: auto | mkl | managed [default: the configs']" };
        var resume = new Option<bool>("--resume") { Description = "Continue interrupted runs from their checkpoints" };
        var docs = new Option<string?>("--out-docs")
        {
            Description = "Also write the results page (report, figures) into the docs: docs/studies/<name>/, or the folder given. Without it, pages stay under --out.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var metric = new Option<string?>("--metric") { Description = "Compare metric [default: eval_return]" };
        var rho = new Option<string>("--rho") { Description = "rnn-exploding: spectral radii, comma-separated", DefaultValueFactory = _ => "0.9,1.0,1.1" };
        var maxT = new Option<int>("--max-t") { Description = "rnn-exploding: longest unroll", DefaultValueFactory = _ => 100 };
        var hidden = new Option<int>("--hidden") { Description = "rnn-exploding: hidden size", DefaultValueFactory = _ => 32 };
        var seed = new Option<int>("--seed") { Description = "rnn-exploding: seed of W_hh, g and h0", DefaultValueFactory = _ => 0 };
        var command = new Command("study", "Run a whole study (its configs, then compare; results under runs/study-<name>/, in docs/ with --out-docs), or `study list`.")
        {
            name, seeds, steps, parallel, output, blas, resume, docs, metric, rho, maxT, hidden, seed,
        };
        command.SetAction(async (parse, cancel) =>
        {
            string study = parse.GetValue(name) ?? "";
            if (study == "list")
            {
                StudyCatalog.WriteList(Console.Out);
                return 0;
            }
            double[] rhos;
            try
            {
                rhos = (parse.GetValue(rho) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                                                  .Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray();
            }
            catch (FormatException)
            {
                Console.Error.WriteLine($"error: --rho must be comma-separated numbers, e.g. 0.9,1.0,1.1, not '{parse.GetValue(rho)}'.");
                return StudyJob.BadInput;
            }
            if (parse.GetValue(parallel) < 1)
            {
                Console.Error.WriteLine($"error: --parallel must be at least 1, not {parse.GetValue(parallel)}.");
                return StudyJob.BadInput;
            }
            var options = new StudyOptions(study, parse.GetValue(seeds), parse.GetValue(steps), parse.GetValue(parallel),
                                           parse.GetValue(output) ?? "runs", parse.GetValue(blas), parse.GetValue(resume),
                                           DocsFolder(parse, docs, study), parse.GetValue(metric),
                                           MadeBy.FromProcess(),
                                           new RnnExplodingOptions(rhos, parse.GetValue(maxT), parse.GetValue(hidden), parse.GetValue(seed)));
            return await StudyJob.RunAsync(options, Console.Out);
        });
        return command;
    }

    /// <summary>--out-docs absent: null; given bare: docs/studies/&lt;name&gt;/ of the repository; given a folder: it.</summary>
    private static string? DocsFolder(ParseResult parse, Option<string?> docs, string study) =>
        parse.GetResult(docs) is null ? null : string.IsNullOrEmpty(parse.GetValue(docs)) ? StudyPaths.DocsFolder(study) : parse.GetValue(docs);
}
