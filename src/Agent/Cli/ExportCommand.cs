using System.CommandLine;
using DqnStudy.Agent.Export;

namespace DqnStudy.Agent.Cli;

/// <summary>`export SEED_FOLDER --out FILE.safetensors`: a thin shell over <see cref="ExportJob"/>.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A seed folder (runs/<name>/seed-<n>)." };
        var model = EvaluateCommand.ModelOption();
        var output = new Option<string>("--out") { Description = "The .safetensors file to write (its .json manifest goes beside it).", Required = true };
        var command = new Command("export", "Write a trained Q-network as safetensors (torch.nn.Sequential state_dict names and shapes) with a JSON manifest.")
        {
            folder, model, output,
        };
        command.SetAction(parse => ExportJob.Run(parse.GetValue(folder)!, EvaluateCommand.ParseModel(parse.GetValue(model)),
                                                 parse.GetValue(output)!, Console.Out, Console.Error));
        return command;
    }
}
