using DqnStudy.Agent.Config;
using DqnStudy.Agent.Sweeps;

namespace DqnStudy.Agent.Tests.Sweeps;

public sealed class SweepParserTests
{
    [Fact]
    public void ReadsNameConfigsGridSeedsAndSet()
    {
        using var files = new SweepFiles();
        string path = files.Write("grid", """
            name: my-grid
            configs: [tiny.yaml]
            grid:
              optimizer.learning_rate: [1.0e-3, 2.3e-3]
              network.hidden_sizes: [[8, 8], [16]]
              loss.type: ['huber', mse]
            seeds: [4, 2]
            set:
              training.total_steps: 700
              dqn: { gamma: 0.9 }
            """);
        SweepFile sweep = SweepParser.Load(path);
        Assert.Equal("my-grid", sweep.Name);
        Assert.Equal(Path.Combine(files.Folder, "tiny.yaml"), Assert.Single(sweep.Configs).FullPath);
        Assert.Equal(["optimizer.learning_rate", "network.hidden_sizes", "loss.type"], sweep.Grid.Select(a => a.Key));
        Assert.Equal(["1.0e-3", "2.3e-3"], sweep.Grid[0].Values);
        Assert.Equal(["[8, 8]", "[16]"], sweep.Grid[1].Values);
        Assert.Equal(["'huber'", "mse"], sweep.Grid[2].Values);
        Assert.Equal([4, 2], sweep.Seeds);
        Assert.Equal(["training.total_steps=700", "dqn={gamma: 0.9}"], sweep.Set);
    }

    [Fact]
    public void DefaultsNameToTheFileAndSeedsToTheConfigs()
    {
        using var files = new SweepFiles();
        SweepFile sweep = SweepParser.Load(files.Write("plain", "configs: [tiny.yaml]\n"));
        Assert.Equal("plain", sweep.Name);
        Assert.Null(sweep.Seeds);
        Assert.Empty(sweep.Grid);
        Assert.Equal([0, 1, 2], SweepParser.Load(files.Write("three", "configs: [tiny.yaml]\nseeds: 3\n")).Seeds);
    }

    [Fact]
    public void ReportsEveryProblemWithFileLineAndKey()
    {
        using var files = new SweepFiles();
        string path = files.Write("bad", """
            name: no/slash
            configs: [missing.yaml, tiny.yaml, tiny.yaml]
            grid:
              dqn.gamma: 0.9
              dqn.batch_size: []
            seeds: 0
            sed: 3
            """);
        var e = Assert.Throws<ConfigException>(() => SweepParser.Load(path));
        string message = e.Message;
        Assert.Contains("bad.yaml:7:1: sed: unknown key; a sweep file has: name, configs, grid, seeds, set", message);
        Assert.Contains("bad.yaml:1:7: name: run name 'no/slash'", message);
        Assert.Contains("bad.yaml:2:11: configs[0]: missing.yaml: not found next to the sweep file nor under configs/", message);
        Assert.Contains("configs: tiny.yaml is listed 2 times", message);
        Assert.Contains("bad.yaml:4:14: grid.dqn.gamma: expected a non-empty list of values", message);
        Assert.Contains("grid.dqn.batch_size: expected a non-empty list", message);
        Assert.Contains("bad.yaml:6:8: seeds: '0': expected a seed count", message);
        Assert.Equal(7, e.Errors.Count);
    }

    [Theory]
    [InlineData("configs: tiny.yaml\n", "configs: expected a non-empty list of config files")]
    [InlineData("seeds: 2\n", "configs: missing")]
    [InlineData("configs: [tiny.yaml]\nseeds: [1, -1, 1]\n", "'-1' is not a seed")]
    [InlineData("configs: [tiny.yaml]\nseeds: [1, 1]\n", "a seed is listed twice")]
    [InlineData("configs: [tiny.yaml]\ngrid: [a, b]\n", "grid: expected a map of config keys")]
    [InlineData("configs: [tiny.yaml]\nset: [a]\n", "set: expected a map of config keys to values")]
    [InlineData("- just\n- a list\n", "a sweep file is a map")]
    [InlineData("configs: [tiny.yaml\n", "bad.yaml:")]
    public void RejectsMalformedSweeps(string yaml, string expected)
    {
        using var files = new SweepFiles();
        var e = Assert.Throws<ConfigException>(() => SweepParser.Load(files.Write("bad", yaml)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsAConfigErrorNotACrash()
    {
        var e = Assert.Throws<ConfigException>(() => SweepParser.Load("/nonexistent/sweep.yaml"));
        Assert.Contains("cannot read the sweep file", e.Message, StringComparison.Ordinal);
    }
}
