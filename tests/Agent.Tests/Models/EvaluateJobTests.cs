using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Runs;
using System.Globalization;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Models;
using DqnStudy.Agent.Seeding;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Agent.Tests.Recurrent;
using DqnStudy.Nn.Blas;
using SixLabors.ImageSharp;

namespace DqnStudy.Agent.Tests.Models;

public sealed class EvaluateJobTests
{
    private static string TrainedSeedFolder(TinyRun run) => SavedModels.Train(run.Load(), run.SeedFolder("a"));

    private static (int Code, string Output, string Error) Evaluate(EvaluateOptions options)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = EvaluateJob.Run(options with { Blas = "managed" }, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The returns an independent greedy loop gets from the saved weights, resetting episode e with seed + e.</summary>
    private static double[] ReferenceReturns(TinyRun run, string folder, ModelKind kind, int seed, int episodes)
    {
        var config = run.Load();
        var network = DqnComponents.CreateNetwork(config, new ManagedBlas(), 4, 2, 1, seed: 123);
        ModelFiles.Load(folder, kind, network.Load);
        var env = DqnComponents.CreateEnvironment(config);
        var returns = new double[episodes];
        for (int e = 0; e < episodes; e++)
        {
            float[] obs = env.Reset(seed + e).ToArray();
            while (true)
            {
                var step = env.Step(Greedy.ArgMax(network.Forward(obs, 1)));
                returns[e] += step.Reward;
                if (step.Terminated || step.Truncated) break;
                step.Observation.CopyTo(obs);
            }
        }
        return returns;
    }

    [Theory]
    [InlineData(ModelKind.Final)]
    [InlineData(ModelKind.Best)]
    public void PrintsTheReturnsOfTheSavedNetworkPlayedGreedily(ModelKind kind)
    {
        using var run = new TinyRun();
        string folder = TrainedSeedFolder(run);
        var (code, output, error) = Evaluate(new EvaluateOptions(folder, kind, Episodes: 4, Seed: 7));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        double[] expected = ReferenceReturns(run, folder, kind, 7, 4);
        Assert.Contains("returns: " + string.Join(" ", expected.Select(r => r.ToString("0.##", CultureInfo.InvariantCulture))), output);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"return {expected.Average():0.0} ± "), output);
        Assert.Contains(ModelFiles.FileName(kind), output);
    }

    /// <summary>Training's greedy evaluation that saved the model (eval.csv's row at the .json's eval_step, episode e
    /// reset with Seeds.EvalEpisode(seed, row, e)) replayed by evaluate's player from the model file alone.</summary>
    [Theory]
    [InlineData("mlp", ModelKind.Best)]
    [InlineData("mlp", ModelKind.Final)]
    [InlineData("rnn", ModelKind.Best)]
    [InlineData("rnn", ModelKind.Final)]
    [InlineData("lstm", ModelKind.Best)]
    [InlineData("lstm", ModelKind.Final)]
    public void ASavedModelReplaysTheReturnTrainingLoggedForItOnTheSameEpisodeSeeds(string type, ModelKind kind)
    {
        string[] overrides = ["training.eval_episodes=5", "training.eval_interval=100"];
        using var tiny = new TinyRun();
        using var drqn = new DrqnRun(type == "mlp" ? "rnn" : type);
        string folder = type == "mlp"
            ? SavedModels.Train(tiny.Load(overrides), tiny.SeedFolder("a"))
            : SavedModels.Train(drqn.Load(overrides), drqn.SeedFolder("a"));
        var info = ModelFiles.ReadInfo(folder, kind)!;
        double[][] rows = [.. File.ReadAllLines(Path.Combine(folder, "eval.csv")).Skip(1)
            .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
        int evaluation = Array.FindIndex(rows, r => r[0] == info.EvalStep!.Value);
        Assert.True(evaluation >= 0);

        var agent = TrainedAgent.Load(folder, kind, new ManagedBlas());
        var env = agent.CreateEnvironment();
        double sum = 0;
        var returns = new List<double>();
        for (int e = 0; e < info.EvalEpisodes; e++)
        {
            returns.Add(EpisodePlayer.Play(agent, env, Seeds.EvalEpisode(0, evaluation, e)));
            sum += returns[^1];
        }
        Assert.Equal(info.EvalReturnMean!.Value, sum / info.EvalEpisodes!.Value);
        // eval.csv: steps, return_mean, return_std, return_min, return_max, length_mean, episodes
        Assert.Equal(rows[evaluation][3], returns.Min());
        Assert.Equal(rows[evaluation][4], returns.Max());
        Assert.Equal(rows[evaluation][2], Math.Sqrt(returns.Sum(r => (r - returns.Average()) * (r - returns.Average())) / returns.Count), 9);
        Assert.Contains(type == "mlp" ? "fc 16" : $"{type} 8", agent.Network.Describe());
    }

    /// <summary>Returns of a barely trained agent rarely depend on its hidden state, so this checks the Q-values: at the
    /// reset of a second episode a recurrent agent answers as a freshly loaded one (zero state) does.</summary>
    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    public void EveryEpisodeOfARecurrentAgentStartsFromAZeroHiddenState(string type)
    {
        using var drqn = new DrqnRun(type);
        string folder = SavedModels.Train(drqn.Load(), drqn.SeedFolder("a"));
        var played = TrainedAgent.Load(folder, ModelKind.Final, new ManagedBlas());
        var fresh = TrainedAgent.Load(folder, ModelKind.Final, new ManagedBlas());
        var env = played.CreateEnvironment();
        EpisodePlayer.Play(played, env, 1);

        float[]? atReset = null, freshAtReset = null;
        EpisodePlayer.Play(played, env, 2, (observation, step) =>
        {
            if (step is not null) return;
            atReset = played.Network.QValues(observation).ToArray();
            freshAtReset = fresh.Network.QValues(observation).ToArray();
        });
        Assert.NotNull(atReset);
        Assert.Equal(freshAtReset, atReset);
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    public void ARecurrentFolderWithoutModelsOrWithAnotherNetworksFileIsRefusedClearly(string type)
    {
        using var drqn = new DrqnRun(type);
        string folder = SavedModels.Train(drqn.Load(), drqn.SeedFolder("a"));

        // As a build before recurrent model files left a run: no final_model.bin.
        File.Delete(ModelFiles.PathOf(folder, ModelKind.Final));
        var (code, _, error) = Evaluate(new EvaluateOptions(folder, ModelKind.Final, 1, 0));
        Assert.Equal(2, code);
        Assert.Contains("final_model.bin: not found", error);
        Assert.Contains("rnn/lstm", error);
        var exportError = new StringWriter();
        Assert.Equal(2, DqnStudy.Agent.Export.ExportJob.Run(folder, ModelKind.Final, Path.Combine(folder, "x.safetensors"), TextWriter.Null, exportError));
        Assert.Contains("train it again", exportError.ToString());

        // An MLP's model file where a recurrent one belongs.
        using var tiny = new TinyRun();
        string mlp = SavedModels.Train(tiny.Load(), tiny.SeedFolder("m"));
        File.Copy(ModelFiles.PathOf(mlp, ModelKind.Final), ModelFiles.PathOf(folder, ModelKind.Final));
        (code, _, error) = Evaluate(new EvaluateOptions(folder, ModelKind.Final, 1, 0));
        Assert.Equal(2, code);
        Assert.Contains("Not a DqnStudy recurrent Q-network", error);
        Assert.DoesNotContain("   at ", error);

        // The other way round: the recurrent best model where an MLP's belongs.
        File.Copy(ModelFiles.PathOf(folder, ModelKind.Best), ModelFiles.PathOf(mlp, ModelKind.Final), overwrite: true);
        (code, _, error) = Evaluate(new EvaluateOptions(mlp, ModelKind.Final, 1, 0));
        Assert.Equal(2, code);
        Assert.Contains("Not a DqnStudy network", error);
    }

    [Fact]
    public void ARunFolderGivesOneLinePerSeedAndTheMeanOverSeeds()
    {
        using var run = new TinyRun();
        TrainedSeedFolder(run);
        var (code, output, _) = Evaluate(new EvaluateOptions(Path.Combine(run.RunsRoot, "a"), ModelKind.Final, 2, 0));
        Assert.Equal(0, code);
        Assert.Contains("seed-0", output);
        Assert.Contains("over 1 seeds:", output);
        Assert.Contains("on 0 of 1 seeds", output);   // a 600-step agent does not reach CartPole's 475
    }

    [Fact]
    public void BadFoldersAndMissingModelsExitWithTwoAndSayWhy()
    {
        using var run = new TinyRun();
        var (code, _, error) = Evaluate(new EvaluateOptions(Path.Combine(run.Folder, "nope"), ModelKind.Final, 1, 0));
        Assert.Equal(2, code);
        Assert.Contains("no such folder", error);

        string folder = TrainedSeedFolder(run);
        File.Delete(ModelFiles.PathOf(folder, ModelKind.Best));
        (code, _, error) = Evaluate(new EvaluateOptions(folder, ModelKind.Best, 1, 0));
        Assert.Equal(2, code);
        Assert.Contains("best_model.bin", error);
        Assert.DoesNotContain("   at ", error);

        (code, _, error) = Evaluate(new EvaluateOptions(folder, ModelKind.Final, 0, 0));
        Assert.Equal(2, code);
        Assert.Contains("--episodes", error);
    }

    [Fact]
    public void WatchingWritesTextFramesAGifAndPngFramesOfTheFirstEpisode()
    {
        using var run = new TinyRun();
        string folder = TrainedSeedFolder(run);
        string gif = Path.Combine(run.Folder, "episode.gif"), frames = Path.Combine(run.Folder, "frames");
        var (code, output, error) = Evaluate(new EvaluateOptions(folder, ModelKind.Final, 1, 3, RenderText: true, Gif: gif, FramesFolder: frames));
        Assert.True(code == 0, error);
        int length = (int)ReferenceReturns(run, folder, ModelKind.Final, 3, 1)[0];   // CartPole: return = length

        Assert.Contains("[#", output);
        Assert.Contains($"step {length}  action", output);
        Assert.DoesNotContain($"step {length + 1}  action", output);
        Assert.Equal(length + 1, Directory.GetFiles(frames, "frame-*.png").Length);   // the reset and every step
        using var animation = Image.Load(gif);
        Assert.Equal(length + 1, animation.Frames.Count);
        Assert.Equal(360, animation.Width);
    }
}
