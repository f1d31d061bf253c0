using DqnStudy.Environments;

namespace DqnStudy.Agent.Models;

/// <summary>One step of a watched episode: the observation the agent acted on, its action and the reward it got.</summary>
public readonly record struct PlayedStep(int Step, int Action, double Reward, double Return);

/// <summary>
/// Greedy episodes of a trained agent. Episode e is reset with seed `seed + e` (Gymnasium's env.reset(seed=...)), so
/// the same command gives the same returns; a recurrent agent starts each from a zero hidden state. `watch` sees every observation the agent acts on, and the last one.
/// </summary>
public static class EpisodePlayer
{
    public delegate void Watcher(ReadOnlySpan<float> observation, PlayedStep? step);

    public static double Play(TrainedAgent agent, IEnvironment environment, int seed, Watcher? watch = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        float[] observation = environment.Reset(seed).ToArray();
        agent.BeginEpisode();
        watch?.Invoke(observation, null);
        double episodeReturn = 0;
        for (int step = 1; ; step++)
        {
            int action = agent.Act(observation);
            var result = environment.Step(action);
            episodeReturn += result.Reward;
            result.Observation.CopyTo(observation);
            watch?.Invoke(observation, new PlayedStep(step, action, result.Reward, episodeReturn));
            if (result.Terminated || result.Truncated) return episodeReturn;
        }
    }
}
