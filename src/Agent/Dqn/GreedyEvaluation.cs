using DqnStudy.Agent.Seeding;
using DqnStudy.Agent.Runs;
using DqnStudy.Environments;

namespace DqnStudy.Agent.Dqn;

/// <summary>The greedy action for an observation. `episodeStart` is true on an episode's first observation
/// (a recurrent policy zeroes its hidden state there).</summary>
public delegate int GreedyPolicy(ReadOnlySpan<float> observation, bool episodeStart);

/// <summary>
/// One greedy evaluation: `episodes` episodes on the evaluation environment, each reset with
/// Seeds.EvalEpisode(seed, evaluation, e), so an evaluation is reproducible from its index alone.
/// Statistics as numpy's (population std); each episode's return and length are the environment's own count.
/// </summary>
public static class GreedyEvaluation
{
    /// <param name="observation">scratch of the observation's size (the caller owns it: no allocation here).</param>
    public static EvaluationResult? Run(EpisodeStatistics environment, GreedyPolicy policy, Span<float> observation,
                                        int seed, long evaluation, int episodes, CancellationToken stop = default)
    {
        double sum = 0, sumSquares = 0, min = double.PositiveInfinity, max = double.NegativeInfinity, lengths = 0;
        for (int e = 0; e < episodes; e++)
        {
            environment.Reset(Seeds.EvalEpisode(seed, evaluation, e)).CopyTo(observation);
            while (true)
            {
                if (stop.IsCancellationRequested) return null;
                var result = environment.Step(policy(observation, environment.CurrentLength == 0));
                if (environment.EpisodeEnded) break;
                result.Observation.CopyTo(observation);
            }
            double episodeReturn = environment.LastEpisodeReturn;
            int length = environment.LastEpisodeLength;
            sum += episodeReturn;
            sumSquares += episodeReturn * episodeReturn;
            min = Math.Min(min, episodeReturn);
            max = Math.Max(max, episodeReturn);
            lengths += length;
        }
        double mean = sum / episodes;
        double std = Math.Sqrt(Math.Max(0, sumSquares / episodes - mean * mean));
        return new EvaluationResult(mean, std, min, max, lengths / episodes, episodes);
    }
}
