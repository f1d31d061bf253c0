using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Dqn;

/// <summary>
/// The training loop allocates nothing per step: acting, stepping, storing, updating, the target update and the
/// monitor rows. Two sessions that differ only in how many steps they train (same setup, same final checkpoint)
/// differ in allocation by the new episodes' seeded resets alone: an environment seeds a fresh System.Random at each
/// Reset(seed) (Gymnasium's np_random), the one allocation per episode. MountainCar's episodes all last their 200-step
/// limit while the agent learns nothing, so those resets are few and a per-step allocation stands out.
/// </summary>
public sealed class DqnTrainerAllocationTests
{
    private static readonly string[] Quiet =
        ["env_id=MountainCar-v0", "training.total_steps=6000", "training.eval_interval=0", "training.eval_episodes=0", "training.log_interval=6000", "training.checkpoint_interval=0"];

    private static DqnConfig Config(TinyRun run, bool recurrent) =>
        run.Load(recurrent ? [.. Quiet, "network.type=rnn", "dqn.sequence_length=4"] : Quiet);

    /// <summary>Bytes allocated by a session of `steps` steps and the episodes it finished.</summary>
    private static (long Bytes, int Episodes) Session(TinyRun run, string name, long steps, bool recurrent)
    {
        var config = Config(run, recurrent);
        string folder = run.SeedFolder(name);
        long before = GC.GetAllocatedBytesForCurrentThread();
        using (var trainer = new DqnTrainer(config, 0, folder, new ManagedBlas()))
        {
            Assert.Equal(RunStatus.Interrupted, trainer.Run(CancellationToken.None, until: steps));
        }
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return (bytes, File.ReadAllLines(Path.Combine(folder, RunFolder.Monitor)).Length - 2);
    }

    private static long SeededResetBytes(DqnConfig config)
    {
        var env = DqnComponents.CreateEnvironment(config);
        env.Reset(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int seed = 2; seed < 102; seed++) env.Reset(seed);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / 100;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrainingLongerAllocatesOnlyTheNewEpisodesSeededResets(bool recurrent)
    {
        using var run = new TinyRun();
        // Warm up (first use, JIT tiers), then the longer session first: what is still being compiled then counts
        // against it, never in its favour.
        Session(run, "warm", 5000, recurrent);
        Session(run, "warm-again", 5000, recurrent);
        var longer = Session(run, "long", 5000, recurrent);
        var shorter = Session(run, "short", 1500, recurrent);
        long resets = (longer.Episodes - shorter.Episodes) * SeededResetBytes(Config(run, recurrent));
        Assert.True(longer.Episodes > shorter.Episodes);
        // Slack for the JIT, which may place some of those generators on the stack: far below the 84,000 bytes even the
        // smallest object (24 bytes) allocated once per step would add.
        const long Slack = 16 * 1024;
        Assert.True(longer.Bytes - shorter.Bytes <= resets + Slack,
            $"3,500 more steps allocated {longer.Bytes - shorter.Bytes:N0} more bytes; their {longer.Episodes - shorter.Episodes} seeded resets account for {resets:N0}");
    }
}
