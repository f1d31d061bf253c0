namespace DqnStudy.Environments.Tests;

public sealed class ErrorTests
{
    public static TheoryData<string> AllIds => new(EnvironmentRegistry.Ids);

    [Theory]
    [MemberData(nameof(AllIds))]
    public void StepBeforeResetThrowsSayingSo(string id)
    {
        IEnvironment env = EnvironmentRegistry.Make(id);
        var e = Assert.Throws<InvalidOperationException>(() => env.Step(0));
        Assert.Contains("before Reset", e.Message);
    }

    [Fact]
    public void StepAfterTerminatedThrowsUntilReset()
    {
        IEnvironment env = EnvironmentRegistry.Make("CartPole-v1");
        env.Reset(0);
        bool terminated = false;
        while (!terminated)
        {
            terminated = env.Step(1).Terminated;
        }

        var e = Assert.Throws<InvalidOperationException>(() => env.Step(1));
        Assert.Contains("terminated", e.Message);
        env.Reset();
        env.Step(1);
    }

    [Fact]
    public void StepAfterTruncatedThrowsSayingSo()
    {
        var env = new TimeLimit(new MountainCar(), 2);
        env.Reset(0);
        env.Step(1);
        Assert.True(env.Step(1).Truncated);
        var e = Assert.Throws<InvalidOperationException>(() => env.Step(1));
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData("CartPole-v1", 2, "action 2 is not in Discrete(2)")]
    [InlineData("CartPole-v1", -1, "action -1 is not in Discrete(2)")]
    [InlineData("MountainCar-v0", 3, "action 3 is not in Discrete(3)")]
    [InlineData("Acrobot-v1", 5, "action 5 is not in Discrete(3)")]
    public void ActionOutsideTheSpaceThrowsNamingBoth(string id, int action, string message)
    {
        IEnvironment env = EnvironmentRegistry.Make(id);
        env.Reset(0);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(action));
        Assert.Contains(message, e.Message);
        Assert.Equal("action", e.ParamName);
        env.Step(0); // the bad action did not end or corrupt the episode
    }

    [Fact]
    public void UnknownIdListsTheRegisteredIds()
    {
        var e = Assert.Throws<UnknownEnvironmentException>(() => EnvironmentRegistry.Make("CartPole-v0"));
        foreach (string id in EnvironmentRegistry.Ids)
        {
            Assert.Contains(id, e.Message);
        }

        Assert.False(EnvironmentRegistry.TryGetSpec("CartPole-v0", out _));
    }

    [Fact]
    public void UnknownOrMistypedKwargThrowsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Make("CartPole-v1", new Dictionary<string, object> { ["gravity"] = 1.0 }));
        Assert.Contains("'gravity'", e.Message);
        Assert.Contains("sutton_barto_reward", e.Message);
        Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Make("Acrobot-v1", new Dictionary<string, object> { ["book_or_nips"] = "icml" }));
        Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Make("CartPole-v1", new Dictionary<string, object> { ["sutton_barto_reward"] = 3.0 }));
    }

    [Fact]
    public void StateOfWrongLengthThrowsWithBothSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new CartPole().State = [1.0, 2.0]);
        Assert.Contains("4", e.Message);
        Assert.Contains("2", e.Message);
    }
}
