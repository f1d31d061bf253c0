using System.CommandLine;
using DqnStudy.Environments;

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
                Console.WriteLine($"{spec.Id,-22} obs Box({env.ObservationSpace.Size})  actions Discrete({env.ActionSpace.N})  "
                                  + $"max_episode_steps {spec.MaxEpisodeSteps?.ToString() ?? "-"}  reward_threshold {spec.RewardThreshold?.ToString() ?? "-"}  {spec.Description}");
            }
            return 0;
        });
        return command;
    }
}
