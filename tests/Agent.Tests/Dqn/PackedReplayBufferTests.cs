using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Seeding;

namespace DqnStudy.Agent.Tests.Dqn;

/// <summary>Bit storage (dqn.replay_observations: bits) gives back exactly the 0/1 observations it was given.</summary>
public sealed class PackedReplayBufferTests
{
    // 13 values: not a multiple of 8, so the last byte is partly used.
    private static float[] Binary(int seed, int n = 13)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.Next(2) == 1 ? 1f : 0f).ToArray();
    }

    [Fact]
    public void BitRows_PackAndUnpackRoundTrip_AndPackOneBitPerValue()
    {
        float[] row = Binary(3, 400);
        var packed = new byte[BitRows.BytesPerRow(row.Length)];
        Assert.Equal(50, packed.Length);
        BitRows.Pack(row, packed);
        var back = new float[row.Length];
        BitRows.Unpack(packed, back);
        Assert.Equal(row, back);
        // Value i is bit i mod 8 of byte i / 8.
        Assert.Equal(row[9] == 1f, (packed[1] & 0b10) != 0);
    }

    [Fact]
    public void Sample_GivesTheStoredTransitionsBack()
    {
        var packed = new ReplayBuffer(capacity: 40, observationSize: 13, packBits: true);
        var plain = new ReplayBuffer(capacity: 40, observationSize: 13);
        for (int i = 0; i < 60; i++)   // wraps
        {
            packed.Add(Binary(i), Binary(i + 1000), i % 6, i, i % 5 == 0, false);
            plain.Add(Binary(i), Binary(i + 1000), i % 6, i, i % 5 == 0, false);
        }
        var a = new TransitionBatch(32, 13);
        var b = new TransitionBatch(32, 13);
        packed.Sample(new Rng(7), a, 32);
        plain.Sample(new Rng(7), b, 32);
        Assert.Equal(b.Indices, a.Indices);
        Assert.Equal(b.Observations, a.Observations);
        Assert.Equal(b.NextObservations, a.NextObservations);
        Assert.Equal(b.Actions, a.Actions);
        Assert.Equal(b.Rewards, a.Rewards);
        Assert.Equal(b.Terminated, a.Terminated);
        for (int slot = 0; slot < 40; slot++)
        {
            Assert.Equal(plain.Observation(slot).ToArray(), packed.Observation(slot).ToArray());
            Assert.Equal(plain.NextObservation(slot).ToArray(), packed.NextObservation(slot).ToArray());
        }
    }

    [Fact]
    public void SaveAndLoad_RestoreEveryBit()
    {
        var buffer = new ReplayBuffer(capacity: 30, observationSize: 13, packBits: true);
        for (int i = 0; i < 45; i++) buffer.Add(Binary(i), Binary(i + 1), i % 6, i, i % 4 == 0, i % 9 == 0);
        var restored = ReplayBufferCheckpoint.RoundTrip(buffer, new ReplayBuffer(capacity: 30, observationSize: 13, packBits: true));
        Assert.Equal((buffer.Count, buffer.Position), (restored.Count, restored.Position));
        for (int slot = 0; slot < 30; slot++)
        {
            Assert.Equal(buffer.Observation(slot).ToArray(), restored.Observation(slot).ToArray());
            Assert.Equal(buffer.NextObservation(slot).ToArray(), restored.NextObservation(slot).ToArray());
            Assert.Equal((buffer.IsTerminated(slot), buffer.IsTruncated(slot)), (restored.IsTerminated(slot), restored.IsTruncated(slot)));
        }
    }

    [Fact]
    public void AFloatCheckpointIsRefusedByABitBuffer_AndTheOtherWayRound()
    {
        var floats = new ReplayBuffer(capacity: 10, observationSize: 13);
        floats.Add(Binary(1), Binary(2), 0, 0, false, false);
        using var stream = ReplayBufferCheckpoint.Save(floats);
        var error = Assert.Throws<InvalidDataException>(() => new ReplayBuffer(10, 13, packBits: true).Load(new BinaryReader(stream)));
        Assert.Contains("13 floats", error.Message);
        Assert.Contains("13 bits", error.Message);
    }

    [Fact]
    public void AValueOtherThanZeroOrOneIsRefused()
    {
        var buffer = new ReplayBuffer(capacity: 10, observationSize: 3, packBits: true);
        var error = Assert.Throws<ArgumentException>(() => buffer.Add([0f, 0.5f, 1f], [0f, 0f, 0f], 0, 0, false, false));
        Assert.Contains("observation value 1 is 0.5", error.Message);
        Assert.Contains("replay_observations", error.Message);
    }

    [Fact]
    public void A100kMinAtarBufferTakesAFewMegabytesNotHundreds()
    {
        // Breakout (4 channels) and Seaquest (10): s and s' of 100,000 transitions, plus action, reward, terminal flags.
        long breakout = new ReplayBuffer(100_000, 400, packBits: true).Bytes;
        long seaquest = new ReplayBuffer(100_000, 1000, packBits: true).Bytes;
        Assert.Equal(100_000L * (2 * 50 + 13), breakout);
        Assert.Equal(100_000L * (2 * 125 + 13), seaquest);
        Assert.Equal(100_000L * (2 * 4000 + 13), new ReplayBuffer(100_000, 1000).Bytes);
    }
}
