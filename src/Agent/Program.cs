using System.CommandLine;
using DqnStudy.Agent.Cli;
using DqnStudy.Environments;

// Thin host: the commands and their wiring; every piece of logic lives in a testable class.
var root = new RootCommand("DqnStudy: DQN on a hand-written backprop core — reproduce the delta-clipping bug, compare runs, study backprop's failures.");
TrainCommand.AddTo(root);                      // training is the default command: --config huber.yaml
root.Subcommands.Add(TrainCommand.CreateVerb()); // and `train --config huber.yaml` for those who type the verb
root.Subcommands.Add(CompareCommand.Create(id => EnvironmentRegistry.TryGetSpec(id, out var spec) ? spec.RewardThreshold : null));
root.Subcommands.Add(EnvsCommand.Create());
root.Subcommands.Add(GradCheckCommand.Create());
root.Subcommands.Add(StudyCommand.Create());
root.Subcommands.Add(SweepCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(ExportCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {ParseErrorText.Describe(error)}");
    Console.Error.WriteLine("See --help.");
    return 2;
}
// Ctrl+C belongs to the generic host (graceful stop + checkpoint), not to System.CommandLine.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
