using DqnStudy.Agent.Cli;

namespace DqnStudy.Agent.Tests.Cli;

public sealed class MadeByTests
{
    private const string Repo = "/home/someone/DqnStudy";

    [Fact]
    public void AbsolutePathsUnderTheCurrentFolderBecomeRelative()
    {
        string line = MadeBy.Describe(["compare", $"{Repo}/runs/huber", "runs/clipped", "--out", $"{Repo}/docs/studies/relu"], Repo);
        Assert.Equal(MadeBy.Prefix + "compare runs/huber runs/clipped --out docs/studies/relu", line);
    }

    [Theory]
    [InlineData("/tmp/re-relu", "/tmp/re-relu")]                               // elsewhere: where it really went
    [InlineData("/home/someone/DqnStudy-old/runs", "/home/someone/DqnStudy-old/runs")] // a sibling, not a child
    [InlineData("/home/someone/DqnStudy", ".")]
    [InlineData("--out=/home/someone/DqnStudy/docs/x", "--out=docs/x")]
    [InlineData("--set=dqn.gamma=0.98", "--set=dqn.gamma=0.98")]
    [InlineData("eval_return", "eval_return")]
    public void OnlyPathsUnderTheCurrentFolderChange(string argument, string expected) =>
        Assert.Equal(expected, MadeBy.Portable(argument, Repo));

    [Fact]
    public void ArgumentsAShellWouldSplitAreQuoted() =>
        Assert.Equal(MadeBy.Prefix + "compare 'runs/a b' 'runs/*/seed-0'", MadeBy.Describe(["compare", "runs/a b", "runs/*/seed-0"], Repo));
}
