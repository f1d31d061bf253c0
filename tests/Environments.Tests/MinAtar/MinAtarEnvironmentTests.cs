using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Environments.Tests.MinAtar;

public sealed class MinAtarEnvironmentTests
{
    public static TheoryData<string> MinAtarIds => new(EnvironmentRegistry.Ids.Where(id => id.StartsWith("MinAtar/", StringComparison.Ordinal)));

    [Theory]
    [InlineData("MinAtar/Asterix-v0", 4, 6)]
    [InlineData("MinAtar/Asterix-v1", 4, 5)]
    [InlineData("MinAtar/Breakout-v0", 4, 6)]
    [InlineData("MinAtar/Breakout-v1", 4, 3)]
    [InlineData("MinAtar/Freeway-v0", 7, 6)]
    [InlineData("MinAtar/Freeway-v1", 7, 3)]
    [InlineData("MinAtar/Seaquest-v0", 10, 6)]
    [InlineData("MinAtar/Seaquest-v1", 10, 6)]
    [InlineData("MinAtar/SpaceInvaders-v0", 6, 6)]
    [InlineData("MinAtar/SpaceInvaders-v1", 6, 4)]
    public void SpecsAreMinAtarsGymRegistrations(string id, int channels, int actions)
    {
        Assert.True(EnvironmentRegistry.TryGetSpec(id, out EnvSpec spec));
        Assert.Null(spec.MaxEpisodeSteps);
        Assert.Null(spec.RewardThreshold);
        Assert.Equal([channels, 10, 10], spec.ObservationSpace.Shape);
        Assert.Equal(actions, spec.ActionSpace.N);
        IEnvironment env = EnvironmentRegistry.Make(id);
        Assert.IsType<MinAtarEnvironment>(env); // no TimeLimit unless asked for
        Assert.Equal(id, env.Id);
        ReadOnlySpan<float> first = env.Reset(0);
        Assert.True(env.ObservationSpace.Contains(first));
        Assert.Equal(channels * 100, first.Length);
    }

    [Fact]
    public void MinimalActionSetsAreMinAtars()
    {
        Assert.Equal([0, 1, 2, 3, 4], Set("MinAtar/Asterix-v1"));
        Assert.Equal([0, 1, 3], Set("MinAtar/Breakout-v1"));
        Assert.Equal([0, 2, 4], Set("MinAtar/Freeway-v1"));
        Assert.Equal([0, 1, 2, 3, 4, 5], Set("MinAtar/Seaquest-v1"));
        Assert.Equal([0, 1, 3, 5], Set("MinAtar/SpaceInvaders-v1"));
        Assert.Equal([0, 1, 2, 3, 4, 5], Set("MinAtar/Breakout-v0"));

        static int[] Set(string id) => ((MinAtarEnvironment)EnvironmentRegistry.Make(id)).ActionSet.ToArray();
    }

    [Fact]
    public void MinimalActionIndexMapsToTheFullAction()
    {
        var env = (MinAtarEnvironment)EnvironmentRegistry.Make("MinAtar/Freeway-v1", Kwargs(sticky: 0.0));
        env.Reset(5);
        env.Step(1); // 'u'
        Assert.Equal((int)MinAtarAction.Up, env.LastAction);
        env.Step(2); // 'd'
        Assert.Equal((int)MinAtarAction.Down, env.LastAction);
    }

    [Fact]
    public void SameSeedGivesTheSameEpisode()
    {
        foreach (string id in EnvironmentRegistry.Ids.Where(id => id.StartsWith("MinAtar/", StringComparison.Ordinal)))
        {
            float[][] a = Episode(id, seed: 42, steps: 300);
            float[][] b = Episode(id, seed: 42, steps: 300);
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.Equal(a[i], b[i]);
            }
        }
    }

    [Fact]
    public void SeededResetForgetsTheLastActionUnseededKeepsIt()
    {
        var env = (MinAtarEnvironment)EnvironmentRegistry.Make("MinAtar/Breakout-v0", Kwargs(sticky: 0.0));
        env.Reset(1);
        env.Step(3);
        Assert.Equal(3, env.LastAction);
        env.Reset();
        Assert.Equal(3, env.LastAction); // MinAtar's reset() keeps last_action
        env.Reset(1);
        Assert.Equal(0, env.LastAction); // as a fresh, seeded MinAtar Environment
    }

    [Fact]
    public void StickyProbabilityOneRepeatsTheFirstActionForever()
    {
        var env = (MinAtarEnvironment)EnvironmentRegistry.Make("MinAtar/Freeway-v0", Kwargs(sticky: 1.0));
        env.Reset(3);
        for (int i = 0; i < 50; i++)
        {
            env.Step(1 + (i % 5));
            Assert.Equal(0, env.LastAction);
        }
    }

    [Fact]
    public void FreewayTerminatesAfterExactly2501Steps()
    {
        IEnvironment env = EnvironmentRegistry.Make("MinAtar/Freeway-v1");
        env.Reset(7);
        int steps = 0;
        StepResult result;
        do
        {
            result = env.Step(1);
            steps++;
        }
        while (!result.Done);

        Assert.Equal(Freeway.TimeLimit + 1, steps);
        Assert.True(result.Terminated); // as MinAtar reports it; not a truncation
        Assert.False(result.Truncated);
    }

    [Fact]
    public void MaxEpisodeStepsTruncatesAsGymnasiumMakeDoes()
    {
        IEnvironment viaKwarg = EnvironmentRegistry.Make("MinAtar/Freeway-v0", new Dictionary<string, object> { ["max_episode_steps"] = "5" });
        IEnvironment viaArgument = EnvironmentRegistry.Make("MinAtar/Freeway-v0", maxEpisodeSteps: 5);
        foreach (IEnvironment env in new[] { viaKwarg, viaArgument })
        {
            env.Reset(0);
            for (int i = 0; i < 4; i++)
            {
                Assert.False(env.Step(0).Done);
            }

            StepResult last = env.Step(0);
            Assert.True(last.Truncated);
            Assert.False(last.Terminated);
        }
    }

    [Fact]
    public void BadKwargsAndArgumentsSayWhatIsWrong()
    {
        var e = Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Make("MinAtar/Breakout-v1", new Dictionary<string, object> { ["sticky_action_prob"] = 1.5 }));
        Assert.Contains("sticky_action_prob", e.Message);
        Assert.Contains("[0, 1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Make("MinAtar/Breakout-v1", new Dictionary<string, object> { ["difficulty_ramping"] = "sometimes" }));
        Assert.Contains("difficulty_ramping", e.Message);
        e = Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Make("MinAtar/Breakout-v1", new Dictionary<string, object> { ["ramping"] = true }));
        Assert.Contains("'ramping'", e.Message);
        Assert.Contains("sticky_action_prob, difficulty_ramping, max_episode_steps", e.Message);
        e = Assert.Throws<ArgumentException>(() => EnvironmentRegistry.Make("MinAtar/Breakout-v1", new Dictionary<string, object> { ["max_episode_steps"] = 2.5 }));
        Assert.Contains("max_episode_steps", e.Message);

        IEnvironment env = EnvironmentRegistry.Make("MinAtar/Breakout-v1");
        Assert.Contains("before Reset", Assert.Throws<InvalidOperationException>(() => env.Step(0)).Message);
        Assert.Contains("2**32 - 1", Assert.Throws<ArgumentOutOfRangeException>(() => env.Reset(-1)).Message);
        Assert.Throws<ArgumentException>(() => env.Reset(0, new ResetOptions(0, 1)));
        env.Reset(0);
        Assert.Contains("action 3 is not in Discrete(3)", Assert.Throws<ArgumentOutOfRangeException>(() => env.Step(3)).Message);
        Assert.Contains("0..5", Assert.Throws<ArgumentOutOfRangeException>(() => ((MinAtarEnvironment)env).Act(6)).Message);
    }

    [Fact]
    public void StepAfterTheEndThrowsButMinAtarsActReturnsZeroTerminal()
    {
        var env = (MinAtarEnvironment)EnvironmentRegistry.Make("MinAtar/Breakout-v1", Kwargs(sticky: 0.0));
        env.Reset(1);
        while (!env.Step(0).Terminated)
        {
        }

        Assert.Contains("terminated", Assert.Throws<InvalidOperationException>(() => env.Step(0)).Message);
        float[] before = env.CurrentObservation.ToArray();
        Assert.Equal((0, true), env.Act(1));
        Assert.Equal(before, env.CurrentObservation.ToArray());
    }

    [Theory]
    [MemberData(nameof(MinAtarIds))]
    public void SeededEpisodesAllocateNothingPerStep(string id)
    {
        IEnvironment env = EnvironmentRegistry.Make(id);
        var policy = new Random(5);
        int episode = 0;
        env.Reset(episode);
        Run(20_000); // warm up: tier-up, list growth
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = Run(20_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{id}: {allocated} bytes allocated over 20000 steps (checksum {sum})");

        double Run(int steps)
        {
            double total = 0;
            for (int i = 0; i < steps; i++)
            {
                StepResult r = env.Step(policy.Next(env.ActionSpace.N));
                total += r.Reward + r.Observation[i % r.Observation.Length];
                if (r.Done)
                {
                    env.Reset(++episode);
                }
            }

            return total;
        }
    }

    private static float[][] Episode(string id, int seed, int steps)
    {
        IEnvironment env = EnvironmentRegistry.Make(id);
        var policy = new Random(seed);
        var observations = new List<float[]> { env.Reset(seed).ToArray() };
        for (int i = 0; i < steps; i++)
        {
            StepResult r = env.Step(policy.Next(env.ActionSpace.N));
            observations.Add(r.Observation.ToArray());
            if (r.Done)
            {
                break;
            }
        }

        return [.. observations];
    }

    private static Dictionary<string, object> Kwargs(double sticky) => new() { ["sticky_action_prob"] = sticky };
}
