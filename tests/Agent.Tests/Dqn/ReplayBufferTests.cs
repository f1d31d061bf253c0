using DqnStudy.Agent.Seeding;
using DqnStudy.Agent.Dqn;

namespace DqnStudy.Agent.Tests.Dqn;

public sealed class ReplayBufferTests
{
    private static float[] Obs(float v) => [v, v + 0.5f];

    [Fact]
    public void WrapsAroundOverwritingTheOldestTransitions()
    {
        var buffer = new ReplayBuffer(capacity: 3, observationSize: 2);
        for (int i = 0; i < 5; i++) buffer.Add(Obs(i), Obs(i + 1), action: i % 2, reward: i, terminated: false, truncated: false);

        Assert.Equal(3, buffer.Count);
        Assert.Equal(2, buffer.Position);
        // Slots 0 and 1 were overwritten by transitions 3 and 4; slot 2 still holds transition 2.
        Assert.Equal(Obs(3), buffer.Observation(0).ToArray());
        Assert.Equal(Obs(4), buffer.Observation(1).ToArray());
        Assert.Equal(Obs(2), buffer.Observation(2).ToArray());
        Assert.Equal(Obs(5), buffer.NextObservation(1).ToArray());
    }

    [Fact]
    public void SamplesRowsThatAreWholeStoredTransitions()
    {
        var buffer = new ReplayBuffer(capacity: 50, observationSize: 2);
        for (int i = 0; i < 20; i++) buffer.Add(Obs(i), Obs(i + 1), action: i % 3, reward: i * 10, terminated: i % 7 == 0, truncated: false);
        var batch = new TransitionBatch(capacity: 32, observationSize: 2);

        buffer.Sample(new Rng(1), batch, 32);

        Assert.Equal(32, batch.Count);
        for (int row = 0; row < 32; row++)
        {
            int i = batch.Indices[row];
            Assert.InRange(i, 0, 19);
            Assert.Equal(Obs(i), batch.Observations.AsSpan(row * 2, 2).ToArray());
            Assert.Equal(Obs(i + 1), batch.NextObservations.AsSpan(row * 2, 2).ToArray());
            Assert.Equal(i % 3, batch.Actions[row]);
            Assert.Equal(i * 10f, batch.Rewards[row]);
            Assert.Equal(i % 7 == 0 ? 1f : 0f, batch.Terminated[row]);
        }
        Assert.True(batch.Indices.Distinct().Count() > 5, "sampling should spread over the buffer");
    }

    [Fact]
    public void OnlyTerminationMarksATransitionTerminal()
    {
        var buffer = new ReplayBuffer(capacity: 4, observationSize: 2);
        buffer.Add(Obs(0), Obs(1), 0, 1f, terminated: true, truncated: false);
        buffer.Add(Obs(1), Obs(2), 0, 1f, terminated: false, truncated: true);   // time limit: still bootstraps
        buffer.Add(Obs(2), Obs(3), 0, 1f, terminated: true, truncated: true);    // both on the same step
        Assert.True(buffer.IsTerminated(0));
        Assert.False(buffer.IsTerminated(1));
        Assert.True(buffer.IsTruncated(1));
        Assert.True(buffer.IsTerminated(2));
    }

    [Fact]
    public void SaveAndLoadRestoreEveryField()
    {
        var buffer = new ReplayBuffer(capacity: 5, observationSize: 2);
        for (int i = 0; i < 7; i++) buffer.Add(Obs(i), Obs(i + 1), i % 2, i, i % 3 == 0, i % 4 == 0);
        var copy = ReplayBufferCheckpoint.RoundTrip(buffer, new ReplayBuffer(capacity: 5, observationSize: 2));

        Assert.Equal(buffer.Count, copy.Count);
        Assert.Equal(buffer.Position, copy.Position);
        var a = new TransitionBatch(16, 2);
        var b = new TransitionBatch(16, 2);
        buffer.Sample(new Rng(3), a, 16);
        copy.Sample(new Rng(3), b, 16);
        Assert.Equal(a.Observations, b.Observations);
        Assert.Equal(a.NextObservations, b.NextObservations);
        Assert.Equal(a.Terminated, b.Terminated);
        for (int i = 0; i < 5; i++) Assert.Equal(buffer.IsTruncated(i), copy.IsTruncated(i));
    }

    [Fact]
    public void LoadRefusesABufferOfAnotherSize()
    {
        var buffer = new ReplayBuffer(capacity: 5, observationSize: 2);
        buffer.Add(Obs(0), Obs(1), 0, 0, false, false);
        using var stream = ReplayBufferCheckpoint.Save(buffer);
        var other = new ReplayBuffer(capacity: 6, observationSize: 2);
        var e = Assert.Throws<InvalidDataException>(() => other.Load(new BinaryReader(stream)));
        Assert.Contains("5×2", e.Message);
    }

    [Fact]
    public void AddRejectsObservationsOfTheWrongSize()
    {
        var buffer = new ReplayBuffer(capacity: 2, observationSize: 2);
        var e = Assert.Throws<ArgumentException>(() => buffer.Add([1f, 2f, 3f], Obs(0), 0, 0, false, false));
        Assert.Equal("observation", e.ParamName);
        Assert.Contains("3", e.Message);
    }
}
