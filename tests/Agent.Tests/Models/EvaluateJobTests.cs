using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Runs;
using System.Globalization;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Models;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;
using SixLabors.ImageSharp;

namespace DqnStudy.Agent.Tests.Models;

public sealed class EvaluateJobTests
{
    private static string TrainedSeedFolder(TinyRun run)
    {
        string folder = run.SeedFolder("a");
        var config = run.Load();
        File.WriteAllText(Path.Combine(folder, "config.yaml"), DqnStudy.Agent.Config.ConfigWriter.ToYaml(config));
        using var trainer = new DqnTrainer(config, 0, folder, new ManagedBlas());
        trainer.Run(CancellationToken.None);
        return folder;
    }

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
        ModelFiles.Load(folder, kind, network);
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
