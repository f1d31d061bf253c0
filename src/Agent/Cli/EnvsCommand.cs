using System.CommandLine;
using DqnStudy.Environments;
using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Agent.Cli;

/// <summary>`envs`: the registered environment ids with their spaces, time limits and thresholds.</summary>
public static class EnvsCommand
{
    public static Command Create()
    {
        var command = new Command("envs", "List the registered environments");
        command.SetAction(_ =>
        {
            foreach (var spec in EnvironmentRegistry.Specs)
            {
                var env = EnvironmentRegistry.Make(spec.Id);
                Console.WriteLine($"{spec.Id,-25} obs Box({env.ObservationSpace.Size})  actions Discrete({env.ActionSpace.N})  "
                                  + $"max_episode_steps {spec.MaxEpisodeSteps?.ToString() ?? "-"}  reward_threshold {spec.RewardThreshold?.ToString() ?? "-"}  {spec.Description}");
                if (env.Unwrapped is MinAtarEnvironment minAtar)
                {
                    Console.WriteLine($"{"",-25} obs (C={minAtar.Game.ChannelCount}, 10, 10) channels {string.Join(" ", minAtar.Game.Channels)}  "
                                      + $"actions {MinAtarActions.Describe(minAtar.ActionSet)}  kwargs {string.Join(", ", spec.KwargNames)}");
                }
            }
            return 0;
        });
        return command;
    }
}
