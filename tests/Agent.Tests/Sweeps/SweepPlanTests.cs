using DqnStudy.Agent.Config;
using DqnStudy.Agent.Sweeps;

namespace DqnStudy.Agent.Tests.Sweeps;

public sealed class SweepPlanTests
{
    [Fact]
    public void ExpandsConfigsTimesGridPointsTimesSeedsWithSeedsInnermost()
    {
        using var files = new SweepFiles();
        files.CopyTiny("other", "type: huber", "type: mse");
        string path = files.Write("grid", """
            configs: [tiny.yaml, other.yaml]
            grid:
              optimizer.learning_rate: [1.0e-3, 2.3e-3]
              dqn.gamma: [0.9, 0.99, 0.999]
            seeds: 2
            set: { training.total_steps: 700 }
            """);
        SweepPlan plan = SweepPlan.Load(path);
        Assert.Equal(2 * 6 * 2, plan.Tasks.Count);
        Assert.Equal(12, plan.Groups.Count);
        Assert.Equal(Enumerable.Range(0, 24), plan.Tasks.Select(t => t.Index));
        // Seeds innermost, then the last grid axis, then the first, then the config.
        Assert.Equal([0, 1], plan.Tasks.Take(2).Select(t => t.Seed));
        Assert.Equal(["optimizer.learning_rate=1.0e-3", "dqn.gamma=0.99"], plan.Tasks[2].Group.GridPoint);
        Assert.Equal(["optimizer.learning_rate=2.3e-3", "dqn.gamma=0.9"], plan.Tasks[6].Group.GridPoint);
        Assert.Equal("other.yaml", plan.Tasks[12].Group.File.AsWritten);

        SweepGroup group = plan.Tasks[7].Group;
        Assert.Equal("tiny_learning_rate-2.3e-3_gamma-0.9", group.Name);
        Assert.Equal("tiny learning_rate=2.3e-3 gamma=0.9", group.Label);
        Assert.Equal(2.3e-3, group.Config.Optimizer.LearningRate, 12);
        Assert.Equal(0.9, group.Config.Algorithm.Gamma, 12);
        Assert.Equal(700, group.Config.Training.TotalSteps);
        Assert.Equal(Path.Combine(files.RunsRoot, "grid", "tiny_learning_rate-2.3e-3_gamma-0.9", "seed-1"),
                     plan.SeedFolder(files.RunsRoot, plan.Tasks[7]));

        // The same file numbers its tasks the same way every time.
        Assert.Equal(plan.Tasks.Select(t => (t.Group.Name, t.Seed)), SweepPlan.Load(path).Tasks.Select(t => (t.Group.Name, t.Seed)));
    }

    [Fact]
    public void WithoutGridOrSeedsEachConfigIsOneGroupWithItsOwnSeeds()
    {
        using var files = new SweepFiles();
        SweepPlan plan = SweepPlan.Load(files.Write("plain", "configs: [tiny.yaml]\nset:\n  training.seeds: 3\n"));
        Assert.Equal("tiny", Assert.Single(plan.Groups).Name);
        Assert.Equal([0, 1, 2], plan.Tasks.Select(t => t.Seed));
    }

    [Fact]
    public void NamesThatWouldCollideFallBackToGridPointNumbers()
    {
        using var files = new SweepFiles();
        SweepPlan plan = SweepPlan.Load(files.Write("lists", "configs: [tiny.yaml]\ngrid:\n  network.hidden_sizes: [[8, 8], [8, 16]]\nseeds: 1\n"));
        Assert.Equal(["tiny_hidden_sizes-8-8", "tiny_hidden_sizes-8-16"], plan.Groups.Select(g => g.Name));
        Assert.Equal(["tiny hidden_sizes=[8, 8]", "tiny hidden_sizes=[8, 16]"], plan.Groups.Select(g => g.Label));
        // 'CartPole-v1' (quoted) and CartPole-v1 are two values with one folder-safe form.
        SweepPlan clash = SweepPlan.Load(files.Write("clash", "configs: [tiny.yaml]\ngrid:\n  env_id: ['CartPole-v1', CartPole-v1]\nseeds: 1\n"));
        Assert.Equal(["tiny_g0", "tiny_g1"], clash.Groups.Select(g => g.Name));
    }

    [Fact]
    public void ABadGridKeyOrValueNamesTheSweepFileAndTheGridPoint()
    {
        using var files = new SweepFiles();
        string path = files.Write("bad", "configs: [tiny.yaml]\ngrid:\n  optimizer.learnin_rate: [1.0e-3]\n  dqn.gamma: [0.5, 2]\n");
        var e = Assert.Throws<ConfigException>(() => SweepPlan.Load(path));
        Assert.Contains("bad.yaml: optimizer.learnin_rate: unknown key; did you mean 'learning_rate'?", e.Message, StringComparison.Ordinal);
        Assert.Contains("dqn.gamma: must be in [0, 1], got 2 (in tiny.yaml at optimizer.learnin_rate=1.0e-3, dqn.gamma=2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoConfigsWithTheSameNameAreRefused()
    {
        using var files = new SweepFiles();
        files.CopyTiny("twin");
        File.WriteAllText(Path.Combine(files.Folder, "twin.yaml"), File.ReadAllText(Path.Combine(files.Folder, "twin.yaml")).Replace("name: twin", "name: tiny", StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => SweepPlan.Load(files.Write("twins", "configs: [tiny.yaml, twin.yaml]\n")));
        Assert.Contains("tiny.yaml and twin.yaml have the same name 'tiny'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheShippedSweepsLoad()
    {
        string root = ConfigLoader.FindSolutionRoot(AppContext.BaseDirectory)!;
        string[] sweeps = Directory.GetFiles(Path.Combine(root, "sweeps"), "*.yaml");
        Assert.NotEmpty(sweeps);
        foreach (string sweep in sweeps)
        {
            SweepPlan plan = SweepPlan.Load(sweep);
            Assert.Equal(plan.Groups.Sum(g => g.Seeds.Count), plan.Tasks.Count);
        }
        SweepPlan grid = SweepPlan.Load(Path.Combine(root, "sweeps", "clipping-grid.yaml"));
        Assert.Equal(3 * 2 * 10, grid.Tasks.Count);
    }
}
