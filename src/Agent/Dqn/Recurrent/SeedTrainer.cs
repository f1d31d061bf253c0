using DqnStudy.Agent.Config;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Dqn.Recurrent;

/// <summary>Picks the trainer for a config's network.type (mlp → DqnTrainer, rnn/lstm → DrqnTrainer) and runs one seed.</summary>
public static class SeedTrainer
{
    public static RunStatus Run(DqnConfig config, int seed, string folder, IBlas blas, TrainingProgress progress,
                                Action<string> log, CancellationToken stop, bool resume)
    {
        if (config.Network.Type is NetworkKind.Rnn or NetworkKind.Lstm)
        {
            using var drqn = new DrqnTrainer(config, seed, folder, blas, progress, log);
            return drqn.Run(stop, resume);
        }
        using var dqn = new DqnTrainer(config, seed, folder, blas, progress, log);
        return dqn.Run(stop, resume);
    }
}
