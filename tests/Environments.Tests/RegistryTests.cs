namespace DqnStudy.Environments.Tests;

public sealed class RegistryTests
{
    [Theory]
    [InlineData("CartPole-v1", 500, 475.0, 4, 2)]
    [InlineData("MountainCar-v0", 200, -110.0, 2, 3)]
    [InlineData("Acrobot-v1", 500, -100.0, 6, 3)]
    [InlineData("CartPoleNoVel-v1", 500, 475.0, 4, 2)]
    [InlineData("CartPoleFlicker-v1", 500, 475.0, 4, 2)]
    public void SpecsMatchGymnasium(string id, int maxSteps, double threshold, int obsSize, int actions)
    {
        Assert.True(EnvironmentRegistry.TryGetSpec(id, out EnvSpec spec));
        Assert.Equal(maxSteps, spec.MaxEpisodeSteps);
        Assert.Equal(threshold, spec.RewardThreshold);
        Assert.Equal(obsSize, spec.ObservationSpace.Size);
        Assert.Equal(actions, spec.ActionSpace.N);
        IEnvironment env = EnvironmentRegistry.Make(id);
        Assert.Equal(id, env.Id);
        Assert.Equal(maxSteps, env.Find<TimeLimit>()!.MaxEpisodeSteps);
        Assert.True(env.ObservationSpace.Contains(env.Reset(0)));
        Assert.Contains(id, spec.ToString());
        Assert.Contains(id, EnvironmentRegistry.Ids);
    }

    [Fact]
    public void MakeHonoursAnExplicitTimeLimit()
    {
        IEnvironment env = EnvironmentRegistry.Make("Acrobot-v1", maxEpisodeSteps: 3);
        Assert.Equal(3, env.Find<TimeLimit>()!.MaxEpisodeSteps);
    }

    [Fact]
    public void KwargVariantsReachTheEnvironment()
    {
        Assert.True(((CartPole)EnvironmentRegistry.Make("CartPole-v1", new Dictionary<string, object> { ["sutton_barto_reward"] = true }).Unwrapped).SuttonBartoReward);
        Assert.Equal(0.02, ((MountainCar)EnvironmentRegistry.Make("MountainCar-v0", new Dictionary<string, object> { ["goal_velocity"] = 0.02 }).Unwrapped).GoalVelocity);
        Assert.Equal("nips", ((Acrobot)EnvironmentRegistry.Make("Acrobot-v1", new Dictionary<string, object> { ["book_or_nips"] = "nips" }).Unwrapped).BookOrNips);
    }
}
