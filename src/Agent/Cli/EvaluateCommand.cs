using DqnStudy.Agent.Runs;
using System.CommandLine;
using DqnStudy.Agent.Models;

namespace DqnStudy.Agent.Cli;

/// <summary>`evaluate RUN_OR_SEED_FOLDER`: a thin shell over <see cref="EvaluateJob"/>.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A seed folder (runs/<name>/seed-<n>) or a run folder holding seed-*/." };
        var model = ModelOption();
        var episodes = new Option<int>("--episodes") { Description = "Greedy episodes per seed.", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Episode e is reset with seed K + e.", DefaultValueFactory = _ => 0 };
        var render = new Option<string?>("--render") { Description = "ascii: print the first episode's frames (one seed folder only)." };
        render.AcceptOnlyFromAmong("ascii");
        var gif = new Option<string?>("--gif") { Description = "Write the first episode as an animated GIF to this file." };
        var frames = new Option<string?>("--frames") { Description = "Write the first episode's frames as PNGs into this (new or empty) folder." };
        var fps = new Option<double>("--fps") { Description = "Frames per second of --render ascii on a terminal (0 = as fast as possible).", DefaultValueFactory = _ => 30 };
        var blas = new Option<string>("--blas") { Description = "BLAS provider: auto | mkl | managed.", DefaultValueFactory = _ => "auto" };

        var command = new Command("evaluate", "Load a trained agent (no training state), play greedy episodes, print the returns; watch it as text, a GIF or PNG frames.")
        {
            folder, model, episodes, seed, render, gif, frames, fps, blas,
        };
        command.SetAction(parse =>
        {
            var options = new EvaluateOptions(parse.GetValue(folder)!, ParseModel(parse.GetValue(model)), parse.GetValue(episodes),
                parse.GetValue(seed), parse.GetValue(render) == "ascii", parse.GetValue(gif), parse.GetValue(frames),
                parse.GetValue(fps), parse.GetValue(blas)!);
            return EvaluateJob.Run(options, Console.Out, Console.Error, terminal: !Console.IsOutputRedirected);
        });
        return command;
    }

    /// <summary>--model best|final (default final), shared with `export`.</summary>
    public static Option<string> ModelOption()
    {
        var option = new Option<string>("--model")
        {
            Description = "best: the network at the best greedy evaluation (best_model.bin); final: the last one (final_model.bin).",
            DefaultValueFactory = _ => "final",
        };
        option.AcceptOnlyFromAmong("best", "final");
        return option;
    }

    public static ModelKind ParseModel(string? value) => value == "best" ? ModelKind.Best : ModelKind.Final;
}
