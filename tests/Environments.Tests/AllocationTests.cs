namespace DqnStudy.Environments.Tests;

public sealed class AllocationTests
{
    public static TheoryData<string> AllIds => new(EnvironmentRegistry.Ids);

    [Theory]
    [MemberData(nameof(AllIds))]
    public void StepAndUnseededResetAllocateNothing(string id)
    {
        var env = new EpisodeStatistics(EnvironmentRegistry.Make(id));
        env.Reset(1);
        Run(env, 20_000); // warm up: tier-up and the first episodes
        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = Run(env, 20_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{id}: {allocated} bytes allocated over 20000 steps (checksum {sum})");
    }

    private static double Run(IEnvironment env, int steps)
    {
        double sum = 0;
        for (int i = 0; i < steps; i++)
        {
            StepResult r = env.Step(i % env.ActionSpace.N);
            sum += r.Reward + r.Observation[0];
            if (r.Terminated || r.Truncated)
            {
                sum += env.Reset()[0];
            }
        }

        return sum;
    }
}
