using System.Buffers.Binary;
using DqnStudy.Agent.Compare;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Tests.Config;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Runs;

/// <summary>
/// A checkpoint written by an earlier build (tests/reference/checkpoints/format-3: DqnStudy at bea0299, before the
/// trainer and its run log were split, stopped by Ctrl+C mid-episode) still resumes, and to exactly the run an
/// uninterrupted one of this build makes: the layout of format 3 is kept, field for field.
/// </summary>
public sealed class CheckpointFormat3Tests
{
    private static string Fixture => Path.Combine(Repo.Root, "tests", "reference", "checkpoints", "format-3", "seed-0");

    [Fact]
    public void ACheckpointOfTheEarlierBuildResumesToTheUninterruptedRun()
    {
        byte[] checkpoint = File.ReadAllBytes(Path.Combine(Fixture, RunFolder.Checkpoint));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(checkpoint.AsSpan(8)));
        Assert.Equal("interrupted", RunSummary.TryRead(Fixture)!.Status);

        using var run = new TinyRun();
        string resumed = run.SeedFolder("resumed");
        foreach (string file in Directory.GetFiles(Fixture)) File.Copy(file, Path.Combine(resumed, Path.GetFileName(file)));
        DqnConfig config = ConfigLoader.Load(Path.Combine(resumed, RunFolder.Config));

        float[] Train(string folder, bool resume)
        {
            using var trainer = new DqnTrainer(config, 0, folder, new ManagedBlas());
            Assert.Equal(RunStatus.Completed, trainer.Run(CancellationToken.None, resume));
            Assert.True(trainer.Step == config.Training.TotalSteps);
            return ((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Values.ToArray();
        }

        float[] afterResume = Train(resumed, resume: true);
        Assert.Equal(2280L, RunSummary.TryRead(resumed)!.ResumedFromStep);
        string straight = run.SeedFolder("straight");
        Assert.Equal(Train(straight, resume: false), afterResume);
        Assert.Equal(TinyRun.DeterministicProgress(straight), TinyRun.DeterministicProgress(resumed));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(straight), TinyRun.MonitorReturnsAndLengths(resumed));
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, RunFolder.Eval)), File.ReadAllLines(Path.Combine(resumed, RunFolder.Eval)));
    }

    [Fact]
    public void CompareReadsTheEarlierBuildsSeedFolderByRunFolderNames()
    {
        var seed = SeedRun.Load(Fixture, fallbackSeed: 9);
        Assert.Equal(0, seed.Seed);
        Assert.Equal("CartPole-v1", seed.EnvId);
        Assert.Equal("interrupted", seed.Summary!.Status);
        Assert.Equal(166, seed.Episodes()!.Value.Returns.Length);
        Assert.Equal(2276.0, seed.Episodes()!.Value.EndSteps[^1]);
        Assert.Equal([1000.0, 2000.0], seed.Eval!.Column(RunFolder.Steps));
        Assert.Equal(RunFolder.ProgressColumns(["grad_norm_fc1", "grad_norm_fc2", "grad_norm_fc3"], []), seed.Progress!.ColumnNames);
    }
}
