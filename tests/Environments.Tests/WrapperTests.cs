namespace DqnStudy.Environments.Tests;

public sealed class WrapperTests
{
    [Fact]
    public void TimeLimitTruncatesCartPoleAtStep500()
    {
        IEnvironment env = EnvironmentRegistry.Make("CartPole-v1");
        var cartPole = (CartPole)env.Unwrapped;
        env.Reset(0);
        int steps = 0;
        while (true)
        {
            cartPole.State = [0, 0, 0, 0]; // upright and still: never terminates, so only the limit can end it
            StepResult r = env.Step(steps % 2);
            steps++;
            Assert.False(r.Terminated);
            if (r.Truncated)
            {
                break;
            }
        }

        Assert.Equal(500, steps);
        Assert.Equal(500, env.Find<TimeLimit>()!.ElapsedSteps);
        Assert.Throws<InvalidOperationException>(() => env.Step(0));
        env.Reset();
        Assert.Equal(0, env.Find<TimeLimit>()!.ElapsedSteps);
    }

    [Fact]
    public void TerminatedAndTruncatedOnTheSameStepReportBoth()
    {
        var env = new TimeLimit(new CartPole(), maxEpisodeSteps: 1);
        env.Reset(0);
        ((CartPole)env.Unwrapped).State = [2.4, 10, 0, 0]; // x passes 2.4 on this step
        StepResult r = env.Step(1);
        Assert.True(r.Terminated);
        Assert.True(r.Truncated);
    }

    [Fact]
    public void EpisodeStatisticsRecordsReturnLengthAndTime()
    {
        var env = new EpisodeStatistics(new TimeLimit(new MountainCar(), maxEpisodeSteps: 7));
        env.Reset(1);
        for (int episode = 1; episode <= 2; episode++)
        {
            for (int i = 1; i <= 7; i++)
            {
                StepResult r = env.Step(1);
                Assert.Equal(i == 7, env.EpisodeEnded);
                Assert.Equal(i == 7, r.Truncated);
            }

            Assert.Equal(-7.0, env.LastEpisodeReturn);
            Assert.Equal(7, env.LastEpisodeLength);
            Assert.Equal(episode, env.EpisodeCount);
            Assert.True(env.LastEpisodeSeconds >= 0 && env.LastEpisodeSeconds <= env.LastEpisodeEndSeconds);
            env.Reset();
            Assert.False(env.EpisodeEnded);
        }

        Assert.IsType<MountainCar>(env.Unwrapped);
    }

    [Fact]
    public void NoVelMasksVelocitiesAndKeepsTheRest()
    {
        IEnvironment masked = EnvironmentRegistry.Make("CartPoleNoVel-v1");
        IEnvironment plain = EnvironmentRegistry.Make("CartPole-v1");
        Assert.Equal("CartPoleNoVel-v1", masked.Id);
        Assert.Equal(4, masked.ObservationSpace.Size);
        float[] m = masked.Reset(9).ToArray();
        float[] p = plain.Reset(9).ToArray();
        Assert.Equal([p[0], 0f, p[2], 0f], m);
        for (int i = 0; i < 5; i++)
        {
            StepResult rm = masked.Step(1);
            float[] om = rm.Observation.ToArray();
            StepResult rp = plain.Step(1);
            Assert.Equal([rp.Observation[0], 0f, rp.Observation[2], 0f], om);
            Assert.NotEqual(0f, rp.Observation[1]);
        }
    }

    [Fact]
    public void FlickerBlanksAboutPAndIsSeeded()
    {
        var kwargs = new Dictionary<string, object> { ["p"] = 0.3 };
        IEnvironment a = EnvironmentRegistry.Make("CartPoleFlicker-v1", kwargs);
        IEnvironment b = EnvironmentRegistry.Make("CartPoleFlicker-v1", kwargs);
        Assert.Equal("CartPoleFlicker-v1", a.Id);
        var flicker = a.Find<Flicker>()!;
        Assert.Equal(0.3, flicker.P);
        int blanked = 0, total = 0;
        for (int episode = 0; episode < 200; episode++)
        {
            Assert.Equal(a.Reset(episode).ToArray(), b.Reset(episode).ToArray());
            while (true)
            {
                StepResult ra = a.Step(total % 2);
                float[] oa = ra.Observation.ToArray();
                StepResult rb = b.Step(total % 2);
                Assert.Equal(oa, rb.Observation.ToArray());
                total++;
                bool isBlank = oa.All(v => v == 0f);
                Assert.Equal(flicker.LastBlanked, isBlank);
                blanked += isBlank ? 1 : 0;
                if (ra.Terminated || ra.Truncated)
                {
                    break;
                }
            }
        }

        Assert.InRange(blanked / (double)total, 0.27, 0.33);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Flicker(new CartPole(), 1.5));
    }

    [Fact]
    public void FlickerWithPOneAlwaysBlanksAndPZeroNever()
    {
        var always = new Flicker(new CartPole(), 1.0);
        var never = new Flicker(new CartPole(), 0.0);
        Assert.All(always.Reset(1).ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(never.Reset(1).ToArray(), v => v != 0f);
    }
}
