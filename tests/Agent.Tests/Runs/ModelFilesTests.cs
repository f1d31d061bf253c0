using DqnStudy.Agent.Runs;
using System.Globalization;
using System.Text.Json;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Models;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Runs;

public sealed class ModelFilesTests
{
    private static readonly string[] FrequentEvaluations = ["training.eval_interval=100"];

    private static float[] Train(TinyRun run, string name, long? stopAt = null, bool resume = false)
    {
        using var trainer = new DqnTrainer(run.Load(FrequentEvaluations), 0, run.SeedFolder(name), new ManagedBlas());
        trainer.Run(CancellationToken.None, resume, until: stopAt);
        return ((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Values.ToArray();
    }

    private static (long Step, double Mean)[] EvalRows(string folder) =>
        File.ReadAllLines(Path.Combine(folder, "eval.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Select(f => (long.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[1], CultureInfo.InvariantCulture)))
            .ToArray();

    [Fact]
    public void FinalModelHoldsTheLastWeightsAndBestModelTheFirstBestEvaluation()
    {
        using var run = new TinyRun();
        float[] last = Train(run, "a");
        string folder = run.SeedFolder("a");

        var network = DqnComponents.CreateNetwork(run.Load(FrequentEvaluations), new ManagedBlas(), 4, 2, 1, seed: 99);
        ModelFiles.Load(folder, ModelKind.Final, network.Load);
        Assert.Equal(last, network.Parameters.Values.ToArray());

        var rows = EvalRows(folder);
        double best = rows.Max(r => r.Mean);
        long bestStep = rows.First(r => r.Mean == best).Step;
        var bestInfo = ModelFiles.ReadInfo(folder, ModelKind.Best)!;
        Assert.Equal(best, bestInfo.EvalReturnMean);
        Assert.Equal(bestStep, bestInfo.EvalStep);
        Assert.Equal(bestStep, bestInfo.Step);
        var finalInfo = ModelFiles.ReadInfo(folder, ModelKind.Final)!;
        Assert.Equal(600, finalInfo.Step);
        Assert.Equal(rows[^1].Mean, finalInfo.EvalReturnMean);
        Assert.Equal("4 → fc 16 → relu → fc 16 → relu → fc 2", finalInfo.Network);

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        var root = summary.RootElement;
        Assert.Equal(best, root.GetProperty("best_eval_return_mean").GetDouble());
        Assert.Equal(bestStep, root.GetProperty("best_eval_step").GetInt64());
        Assert.Equal(600, root.GetProperty("final_eval_step").GetInt64());
        Assert.Equal("best_model.bin", root.GetProperty("best_model").GetString());
        Assert.Equal("final_model.bin", root.GetProperty("final_model").GetString());
    }

    [Fact]
    public void BestModelIsTheNetworkThatScoredTheBestEvaluation()
    {
        // Re-run the same seed, stopping right after the best evaluation's step: its online network is best_model.
        using var run = new TinyRun();
        Train(run, "full");
        long bestStep = ModelFiles.ReadInfo(run.SeedFolder("full"), ModelKind.Best)!.Step;
        var network = DqnComponents.CreateNetwork(run.Load(FrequentEvaluations), new ManagedBlas(), 4, 2, 1, seed: 99);
        ModelFiles.Load(run.SeedFolder("full"), ModelKind.Best, network.Load);

        using var trainer = new DqnTrainer(run.Load(FrequentEvaluations), 0, run.SeedFolder("cut"), new ManagedBlas());
        trainer.Run(CancellationToken.None, until: bestStep + 1);
        // Step bestStep + 1 took no gradient step (train_freq 4 divides bestStep), so the weights are those evaluated.
        Assert.Equal(0, bestStep % 4);
        Assert.Equal(((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Values.ToArray(), network.Parameters.Values.ToArray());
    }

    [Fact]
    public void AResumedRunWritesTheSameModelsAsAnUninterruptedOne()
    {
        using var run = new TinyRun();
        Train(run, "whole");
        Train(run, "split", stopAt: 333);
        Assert.False(File.Exists(ModelFiles.PathOf(run.SeedFolder("split"), ModelKind.Final)));
        Train(run, "split", resume: true);
        foreach (var kind in new[] { ModelKind.Best, ModelKind.Final })
        {
            Assert.Equal(File.ReadAllBytes(ModelFiles.PathOf(run.SeedFolder("whole"), kind)),
                         File.ReadAllBytes(ModelFiles.PathOf(run.SeedFolder("split"), kind)));
            Assert.Equal(ModelFiles.ReadInfo(run.SeedFolder("whole"), kind), ModelFiles.ReadInfo(run.SeedFolder("split"), kind));
        }
    }
}
