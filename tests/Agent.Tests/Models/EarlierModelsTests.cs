using System.Globalization;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Models;
using DqnStudy.Agent.Seeding;
using DqnStudy.Nn.Blas;
using DqnStudy.Tests.Shared;

namespace DqnStudy.Agent.Tests.Models;

/// <summary>Seed folders written by earlier builds (tests/reference/models) still load, evaluate and export, and
/// replay the evaluation training logged for their final model.</summary>
public sealed class EarlierModelsTests
{
    public static TheoryData<string> Folders()
    {
        string root = ReferenceData.Folder("models", "DQNSTUDY_MODELS_REFERENCE");
        var data = new TheoryData<string>();
        foreach (string folder in Directory.GetDirectories(root).Where(d => File.Exists(ModelFiles.PathOf(d, ModelKind.Final))).Order())
            data.Add(folder);
        return data;
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void AModelFromAnEarlierBuildLoadsAndReplaysItsLoggedEvaluation(string folder)
    {
        var agent = TrainedAgent.Load(folder, ModelKind.Final, new ManagedBlas());
        var info = agent.Info!;
        var rows = File.ReadAllLines(Path.Combine(folder, "eval.csv")).Skip(1)
            .Select(l => double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        int evaluation = rows.IndexOf(info.EvalStep!.Value);
        Assert.True(evaluation >= 0);
        var env = agent.CreateEnvironment();
        double sum = 0;
        for (int e = 0; e < info.EvalEpisodes; e++) sum += EpisodePlayer.Play(agent, env, Seeds.EvalEpisode(0, evaluation, e));
        Assert.Equal(info.EvalReturnMean!.Value, sum / info.EvalEpisodes!.Value);
        Assert.Equal(info.Network, agent.Network.Describe());

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(EvaluateJob.Run(new EvaluateOptions(folder, ModelKind.Final, 2, 0, Blas: "managed"), output, error) == 0, error.ToString());
        string scratch = Path.Combine(Path.GetTempPath(), "dqnstudy-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            Assert.True(DqnStudy.Agent.Export.ExportJob.Run(folder, ModelKind.Final, Path.Combine(scratch, "old.safetensors"), output, error) == 0, error.ToString());
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
