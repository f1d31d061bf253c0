using DqnStudy.Agent.Config;
using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

public sealed class RunGroupLoaderTests
{
    [Fact]
    public void Load_Sb3FolderWithOnlyMonitorFiles()
    {
        using var runs = new SyntheticRuns();
        for (int rank = 0; rank < 3; rank++)
        {
            string folder = runs.Path_("sb3", $"dqn_CartPole-v1_{rank + 1}");
            Directory.CreateDirectory(folder);
            // SB3 writes extra info columns too; they are read by header name and ignored.
            File.WriteAllText(Path.Combine(folder, "0.monitor.csv"),
                "#{\"t_start\": 1764300000.12, \"env_id\": \"CartPole-v1\"}\nr,l,t,is_success\n10.0,10,0.1,0\n30.0,30,0.2,0\n");
        }
        LoadResult load = RunGroupLoader.Load([runs.Path_("sb3")], ["sb3-dqn"]);
        RunGroup group = Assert.Single(load.Groups);
        Assert.Equal("sb3-dqn", group.Label);
        Assert.Equal(3, group.Seeds.Count);
        Assert.Equal("CartPole-v1", load.EnvId);
        Assert.Null(group.Seeds[0].Progress);
        var (ends, returns) = group.Seeds[0].Episodes()!.Value;
        Assert.Equal([10.0, 40.0], ends);
        Assert.Equal([10.0, 30.0], returns);
        Alignment alignment = CurveAligner.Align(load.Groups, CurveAligner.TrainReturn, 2);
        Assert.Equal([10.0, 20.0], alignment.Groups[0].Curves[0]);   // step 10: 10; step 40: mean(10, 30)
    }

    [Fact]
    public void Load_GroupSeedFolderGlobAndLabels()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 4; s++)
        {
            runs.WriteSeed("huber", s, 100);
        }
        string single = runs.Path_("huber", "seed-2");
        LoadResult load = RunGroupLoader.Load([runs.Path_("huber"), single, runs.Path_("huber", "seed-[01]")], ["all"]);
        Assert.Equal(["all", "huber/seed-2", runs.Path_("huber", "seed-[01]")], load.Groups.Select(g => g.Label));
        Assert.Equal([0, 1, 2, 3], load.Groups[0].Seeds.Select(s => s.Seed));
        Assert.Equal([2], load.Groups[1].Seeds.Select(s => s.Seed));
        Assert.Equal([0, 1], load.Groups[2].Seeds.Select(s => s.Seed));
        Assert.Empty(load.Problems);
    }

    [Fact]
    public void Load_DifferentEnvAndBadFoldersAreNamedButTheRestIsCompared()
    {
        using var runs = new SyntheticRuns();
        runs.WriteSeed("cartpole", 0, 100);
        string mountainCar = runs.WriteSeed("mountaincar", 0, -200, env: "MountainCar-v0");
        Directory.CreateDirectory(runs.Path_("empty"));
        string corrupt = runs.WriteSeed("corrupt", 0, 50);
        File.WriteAllText(Path.Combine(corrupt, "monitor.csv"), "r,l,t\n1,2\n");
        File.Delete(Path.Combine(corrupt, "progress.csv"));
        File.Delete(Path.Combine(corrupt, "eval.csv"));

        LoadResult load = RunGroupLoader.Load(
            [runs.Path_("cartpole"), runs.Path_("mountaincar"), runs.Path_("empty"), runs.Path_("missing"), runs.Path_("corrupt")], []);
        RunGroup only = Assert.Single(load.Groups);
        Assert.Equal("cartpole", only.Label);
        Assert.Contains(load.Problems, p => p.StartsWith(Path.Combine(mountainCar, "summary.json"), StringComparison.Ordinal) && p.Contains("MountainCar-v0", StringComparison.Ordinal));
        Assert.Contains(load.Problems, p => p.StartsWith(runs.Path_("empty"), StringComparison.Ordinal) && p.Contains("no seed folders", StringComparison.Ordinal));
        Assert.Contains(load.Problems, p => p == $"{runs.Path_("missing")}: folder not found");
        Assert.Contains(load.Problems, p => p.Contains(Path.Combine(corrupt, "monitor.csv") + ": line 2: expected 3 fields, found 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_TruncatedMonitorKeepsCompleteEpisodes()
    {
        using var runs = new SyntheticRuns();
        string seed = runs.WriteSeed("killed", 0, 100, totalSteps: 1_000, episodeLength: 100);
        File.AppendAllText(Path.Combine(seed, "monitor.csv"), "12.5,1");       // a row cut mid-write
        LoadResult load = RunGroupLoader.Load([runs.Path_("killed")], []);
        Assert.Equal(10, load.Groups[0].Seeds[0].Monitor!.RowCount);
        Assert.Contains(load.Problems, p => p.StartsWith(Path.Combine(seed, "monitor.csv") + ":", StringComparison.Ordinal) && p.Contains("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfigDiff_ShowsOnlyWhatDiffersBetweenArms()
    {
        using var runs = new SyntheticRuns();
        for (int s = 0; s < 2; s++)
        {
            runs.WriteSeed("huber", s, 100, loss: "huber");
            runs.WriteSeed("clipped", s, 100, loss: "clipped_delta");
        }
        var diff = ConfigFlattener.Differences(RunGroupLoader.Load([runs.Path_("huber"), runs.Path_("clipped")], []).Groups);
        ConfigDifference d = Assert.Single(diff);             // seed varies identically in both; hidden sizes are equal
        Assert.Equal("loss.kind", d.Key);
        Assert.Equal(["huber", "clipped_delta"], d.Values);
    }
}
