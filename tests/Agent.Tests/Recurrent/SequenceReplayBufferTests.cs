using DqnStudy.Agent.Seeding;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Dqn.Recurrent;

namespace DqnStudy.Agent.Tests.Recurrent;

public sealed class SequenceReplayBufferTests
{
    // Observation = (episode, step within episode): every sampled row says where it came from.
    private static SequenceReplayBuffer Fill(int capacity, int[] episodeLengths)
    {
        var buffer = new SequenceReplayBuffer(capacity, 2);
        for (int e = 0; e < episodeLengths.Length; e++)
        {
            for (int s = 0; s < episodeLengths[e]; s++)
            {
                bool last = s == episodeLengths[e] - 1;
                buffer.Add([e, s], [e, s + 1], s % 2, 1f, terminated: last && e % 2 == 0, truncated: last && e % 2 == 1, episode: e);
            }
        }
        return buffer;
    }

    [Theory]
    [InlineData(1000, 4)]
    [InlineData(37, 4)]    // wrapped: the oldest episode is cut at the front
    [InlineData(37, 8)]
    [InlineData(23, 1)]
    public void SequencesNeverCrossAnEpisodeBoundaryAndArePaddedOnlyForShortEpisodes(int capacity, int steps)
    {
        int[] lengths = [3, 9, 1, 12, 2, 7, 5, 11, 1, 6];
        var buffer = Fill(capacity, lengths);
        const int batchSize = 16;
        var batch = new SequenceBatch(batchSize, steps, 2);
        var rng = new Rng(7);
        int padded = 0;
        for (int round = 0; round < 200; round++)
        {
            buffer.Sample(rng, batch, batchSize);
            for (int b = 0; b < batchSize; b++)
            {
                int length = batch.Lengths[b];
                Assert.InRange(length, 1, steps);
                float episode = batch.Observations[(0 * batchSize + b) * 2];
                float first = batch.Observations[(0 * batchSize + b) * 2 + 1];
                for (int t = 0; t < steps; t++)
                {
                    int row = t * batchSize + b;
                    if (t < length)
                    {
                        Assert.Equal(1f, batch.Mask[row]);
                        Assert.Equal(episode, batch.Observations[row * 2]);          // same episode
                        Assert.Equal(first + t, batch.Observations[row * 2 + 1]);    // consecutive steps
                        Assert.Equal(batch.Observations[row * 2 + 1], batch.TargetInputs[row * 2 + 1]);
                        bool ends = batch.Terminated[row] != 0f || batch.Observations[row * 2 + 1] == lengths[(int)episode] - 1;
                        Assert.True(!ends || t == length - 1, "a sequence goes on past its episode's last step");
                    }
                    else
                    {
                        Assert.Equal(0f, batch.Mask[row]);
                        Assert.Equal(0f, batch.Observations[row * 2]);
                        Assert.Equal(0f, batch.Observations[row * 2 + 1]);
                    }
                }
                // Step T of the target inputs after the last valid step is that step's true next observation.
                Assert.Equal(first + length, batch.TargetInputs[(length * batchSize + b) * 2 + 1]);
                Assert.Equal(episode, batch.TargetInputs[(length * batchSize + b) * 2]);
                if (length < steps)
                {
                    padded++;
                    // Padding is only for episodes with fewer than T stored steps, read from their first stored step.
                    int start = batch.StartSlots[b];
                    Assert.True(first == 0 || buffer.SlotAt(0) == start, $"padded sequence of episode {episode} starts at step {first}");
                }
            }
        }
        if (steps > 1) Assert.True(padded > 0, "the short episodes were never sampled");
    }

    [Fact]
    public void SampleRejectsABatchLargerThanItsBuffers()
    {
        var buffer = Fill(100, [10]);
        var batch = new SequenceBatch(4, 3, 2);
        var e = Assert.Throws<ArgumentException>(() => buffer.Sample(new Rng(1), batch, 5));
        Assert.Contains("5", e.Message);
        Assert.Contains("4", e.Message);
    }

    [Fact]
    public void SaveLoadRoundTripsEpisodeTags()
    {
        var buffer = Fill(37, [3, 9, 1, 12, 2, 7, 5, 11]);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) buffer.Save(writer);
        stream.Position = 0;
        var copy = new SequenceReplayBuffer(37, 2);
        using (var reader = new BinaryReader(stream)) copy.Load(reader);
        for (int i = 0; i < 37; i++) Assert.Equal(buffer.EpisodeOf(i), copy.EpisodeOf(i));
        var a = new SequenceBatch(8, 4, 2);
        var b = new SequenceBatch(8, 4, 2);
        buffer.Sample(new Rng(3), a, 8);
        copy.Sample(new Rng(3), b, 8);
        Assert.Equal(a.Observations, b.Observations);
        Assert.Equal(a.Lengths, b.Lengths);
    }
}
