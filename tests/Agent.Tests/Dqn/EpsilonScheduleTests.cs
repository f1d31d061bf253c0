using DqnStudy.Agent.Dqn;

namespace DqnStudy.Agent.Tests.Dqn;

public sealed class EpsilonScheduleTests
{
    [Fact]
    public void FallsLinearlyThenStays()
    {
        var schedule = new EpsilonSchedule(1.0, 0.05, 1000);
        Assert.Equal(1.0, schedule.At(0));
        Assert.Equal(0.525, schedule.At(500), 12);
        Assert.Equal(0.05, schedule.At(1000));
        Assert.Equal(0.05, schedule.At(10_000));
    }

    [Fact]
    public void ZeroDurationIsTheFinalValueAtOnce()
    {
        Assert.Equal(0.1, new EpsilonSchedule(1.0, 0.1, 0).At(0));
    }
}
