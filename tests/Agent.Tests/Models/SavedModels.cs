using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Models;

/// <summary>A seed folder as training leaves it for `evaluate` and `export`: config.yaml, the model files and their .json.</summary>
internal static class SavedModels
{
    public static string Train(DqnConfig config, string folder)
    {
        File.WriteAllText(Path.Combine(folder, "config.yaml"), ConfigWriter.ToYaml(config));
        using var trainer = new DqnTrainer(config, 0, folder, new ManagedBlas());
        Assert.Equal(RunStatus.Completed, trainer.Run(CancellationToken.None));
        return folder;
    }
}
