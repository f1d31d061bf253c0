namespace DqnStudy.Environments.Tests;

public sealed class SeedingTests
{
    public static TheoryData<string> PhysicsIds => new() { "CartPole-v1", "MountainCar-v0", "Acrobot-v1" };

    [Theory]
    [MemberData(nameof(PhysicsIds))]
    public void SameSeedGivesSameStartAndSameEpisode(string id)
    {
        float[] a = Episode(EnvironmentRegistry.Make(id), seed: 42);
        float[] b = Episode(EnvironmentRegistry.Make(id), seed: 42);
        Assert.Equal(a, b);
    }

    [Theory]
    [MemberData(nameof(PhysicsIds))]
    public void DifferentSeedsGiveDifferentStartsWithinGymnasiumsBounds(string id)
    {
        IEnvironment env = EnvironmentRegistry.Make(id);
        var physics = (ClassicControlEnvironment)env.Unwrapped;
        (double[] low, double[] high) = id switch
        {
            "CartPole-v1" => (Fill(4, -0.05), Fill(4, 0.05)),
            "MountainCar-v0" => (new[] { -0.6, 0.0 }, new[] { -0.4, 0.0 }),
            _ => (Fill(4, -0.1), Fill(4, 0.1)),
        };
        var starts = new HashSet<string>();
        for (int seed = 0; seed < 200; seed++)
        {
            env.Reset(seed);
            double[] s = physics.State;
            for (int k = 0; k < s.Length; k++)
            {
                // Acrobot rounds its start to float32, which may land on the float32 nearest a bound.
                double slack = id == "Acrobot-v1" ? 1e-8 : 0.0;
                Assert.InRange(s[k], low[k] - slack, high[k] + slack);
                Assert.True(low[k] == high[k] || s[k] < high[k] + slack, $"{id} seed {seed}: state[{k}] = {s[k]} not below {high[k]}");
            }

            starts.Add(string.Join(",", s));
        }

        Assert.Equal(200, starts.Count);
    }

    [Fact]
    public void ResetWithoutSeedContinuesTheStream()
    {
        IEnvironment a = EnvironmentRegistry.Make("CartPole-v1");
        IEnvironment b = EnvironmentRegistry.Make("CartPole-v1");
        float[] first = a.Reset(5).ToArray();
        float[] second = a.Reset().ToArray();
        Assert.NotEqual(first, second);
        b.Reset(5);
        Assert.Equal(second, b.Reset().ToArray());
    }

    [Fact]
    public void ResetOptionsReplaceTheBounds()
    {
        IEnvironment env = EnvironmentRegistry.Make("MountainCar-v0");
        float[] obs = env.Reset(1, new ResetOptions(Low: -0.3, High: -0.3)).ToArray();
        Assert.Equal([(float)-0.3, 0f], obs);
        Assert.Throws<ArgumentException>(() => env.Reset(1, new ResetOptions(Low: 0.1, High: -0.1)));
    }

    [Fact]
    public void AcrobotResetStateIsFloat32Representable()
    {
        IEnvironment env = EnvironmentRegistry.Make("Acrobot-v1");
        env.Reset(3);
        foreach (double v in ((Acrobot)env.Unwrapped).State)
        {
            Assert.Equal(v, (double)(float)v);
        }
    }

    private static double[] Fill(int n, double v) => Enumerable.Repeat(v, n).ToArray();

    private static float[] Episode(IEnvironment env, int seed)
    {
        var trace = new List<float>(env.Reset(seed).ToArray());
        var actions = new Random(seed);
        for (int i = 0; i < 50; i++)
        {
            StepResult r = env.Step(env.ActionSpace.Sample(actions));
            trace.AddRange(r.Observation.ToArray());
            if (r.Terminated || r.Truncated)
            {
                break;
            }
        }

        return trace.ToArray();
    }
}
