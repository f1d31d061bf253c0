using System.Buffers.Binary;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Tests.Process;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Robustness;

/// <summary>
/// Every way a checkpoint can be wrong is refused with a message naming the file and the fault, before anything
/// large is allocated and without touching the run's files. Decision (docs/guarantees.md): a config that differs
/// from the recorded one is bad input (exit 2, checked before any checkpoint is read); a checkpoint that cannot be
/// used fails that seed (summary.json "failed" with the reason, exit 1) while the other seeds go on.
/// </summary>
public sealed class CheckpointCorruptionTests
{
    [Fact]
    public void TheUntouchedCheckpointResumes()
    {
        // The control: the fixture's checkpoint is good, so each refusal below is the corruption's doing.
        using var checkpoint = new CorruptCheckpoint();
        using var trainer = new DqnTrainer(checkpoint.Run.Load(), 0, checkpoint.Folder, new ManagedBlas());
        Assert.Equal(RunStatus.Completed, trainer.Run(CancellationToken.None, resume: true));
    }

    [Fact]
    public void TruncatedAtAnyOffsetIsRefused()
    {
        using var checkpoint = new CorruptCheckpoint();
        int length = checkpoint.Original.Length;
        int[] cuts = [0, 3, 8, 10, 12, 13, 40, checkpoint.SeedOffset + 2, checkpoint.StepOffset + 5, checkpoint.EpisodeLengthOffset + 6,
                      checkpoint.MonitorLengthOffset + 4, 1000, length / 3, length / 2, checkpoint.ReplayCapacityOffset + 2,
                      checkpoint.ReplayCountOffset + 100, length - 9, length - 4, length - 1];
        foreach (int cut in cuts)
        {
            checkpoint.Write(checkpoint.Original[..cut]);
            string message = checkpoint.ResumeExpectingRefusal().Message;
            Assert.True(message.Contains("truncated", StringComparison.OrdinalIgnoreCase) || (cut < 8 && message.Contains("magic", StringComparison.Ordinal)),
                        $"cut at {cut} of {length}: {message}");
        }
    }

    [Fact]
    public void WrongMagicIsRefused()
    {
        using var checkpoint = new CorruptCheckpoint();
        checkpoint.Patch(b => b[0] ^= 0xFF);
        Assert.Contains("not a DqnStudy checkpoint", checkpoint.ResumeExpectingRefusal().Message);
        checkpoint.Write("PK\u0003\u0004 a zip file, say"u8.ToArray());
        Assert.Contains("not a DqnStudy checkpoint", checkpoint.ResumeExpectingRefusal().Message);
    }

    [Fact]
    public void WrongVersionIsRefused()
    {
        using var checkpoint = new CorruptCheckpoint();
        checkpoint.Patch(b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), 99));
        string message = checkpoint.ResumeExpectingRefusal().Message;
        Assert.Contains("version 99", message);
        Assert.Contains($"version {Checkpoint.FormatVersion}", message);
    }

    [Fact]
    public void ACheckpointOfTheOlderFormatIsRefusedSayingWhatToDo()
    {
        using var checkpoint = new CorruptCheckpoint();
        checkpoint.Patch(b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), Checkpoint.FormatVersion - 1));
        string message = checkpoint.ResumeExpectingRefusal().Message;
        Assert.Contains($"version {Checkpoint.FormatVersion - 1} was written by an older DqnStudy", message);
        Assert.Contains("without --resume", message);
    }

    [Fact]
    public void ACheckpointOfAnotherConfigIsRefused()
    {
        // A checkpoint whose network sizes differ, dropped into a folder whose config.yaml matches: the fingerprint catches it.
        using var checkpoint = new CorruptCheckpoint();
        CorruptCheckpoint.Create(checkpoint.Run, "wide", 0, "network.hidden_sizes=[32,16]");
        File.Copy(Path.Combine(checkpoint.Run.SeedFolder("wide"), RunFolder.Checkpoint), checkpoint.CheckpointPath, overwrite: true);
        Assert.Contains("different config", checkpoint.ResumeExpectingRefusal().Message);
    }

    [Fact]
    public void ACheckpointOfAnotherSeedIsRefused()
    {
        using var checkpoint = new CorruptCheckpoint();
        checkpoint.Patch(b => BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(checkpoint.SeedOffset), 1));
        Assert.Contains("seed 1, not seed 0", checkpoint.ResumeExpectingRefusal().Message);
    }

    [Theory]
    [InlineData("replay count", int.MaxValue, "impossible fill state")]
    [InlineData("replay count", -1, "impossible fill state")]
    [InlineData("replay capacity", int.MaxValue, "config asks for")]
    [InlineData("episode length", int.MaxValue, "episode length")]
    [InlineData("episode length", -5, "episode length")]
    [InlineData("step", long.MaxValue, "counters out of range")]
    [InlineData("monitor length", -1, "monitor.csv")]
    [InlineData("monitor length", long.MaxValue, "monitor.csv")]
    [InlineData("fingerprint length", -1, "corrupt checkpoint header")]
    public void HostileCountsAreRefusedWithoutHugeAllocations(string field, long value, string expected)
    {
        using var checkpoint = new CorruptCheckpoint();
        checkpoint.Patch(b =>
        {
            var span = b.AsSpan();
            switch (field)
            {
                case "replay count": BinaryPrimitives.WriteInt32LittleEndian(span[checkpoint.ReplayCountOffset..], (int)value); break;
                case "replay capacity": BinaryPrimitives.WriteInt32LittleEndian(span[checkpoint.ReplayCapacityOffset..], (int)value); break;
                case "episode length": BinaryPrimitives.WriteInt32LittleEndian(span[checkpoint.EpisodeLengthOffset..], (int)value); break;
                case "step": BinaryPrimitives.WriteInt64LittleEndian(span[checkpoint.StepOffset..], value); break;
                case "monitor length": BinaryPrimitives.WriteInt64LittleEndian(span[checkpoint.MonitorLengthOffset..], value); break;
                // Five continuation bytes: a 7-bit-encoded length that never ends (BinaryReader's FormatException).
                case "fingerprint length": span.Slice(checkpoint.FingerprintLengthOffset, 5).Fill(0xFF); break;
            }
        });
        Assert.Contains(expected, checkpoint.ResumeExpectingRefusal().Message);
    }

    [Fact]
    public void TrailingBytesAreRefused()
    {
        using var checkpoint = new CorruptCheckpoint();
        checkpoint.Write([.. checkpoint.Original, 1, 2, 3]);
        Assert.Contains("checksum does not match", checkpoint.ResumeExpectingRefusal().Message);
        // The same bytes with a checksum made to fit: the format's own end check.
        int end = checkpoint.Original.Length - CheckpointChecksum.Length;
        checkpoint.Write(CorruptCheckpoint.Seal([.. checkpoint.Original[..end], 1, 2, 3, .. checkpoint.Original[end..]]));
        Assert.Contains("3 unexpected bytes", checkpoint.ResumeExpectingRefusal().Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public void FlippedBytesAnywhereAfterTheHeaderAreRefusedByTheChecksum(int flips)
    {
        using var checkpoint = new CorruptCheckpoint();
        var random = new Random(flips);
        for (int round = 0; round < 5; round++)
        {
            checkpoint.Damage(b =>
            {
                for (int i = 0; i < flips; i++) b[random.Next(checkpoint.StepOffset, b.Length)] ^= (byte)random.Next(1, 256);
            });
            string message = checkpoint.ResumeExpectingRefusal().Message;
            Assert.Contains("checksum does not match", message);
            Assert.Contains("train it again", message);
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteWeightsAreRefused(float poison)
    {
        using var checkpoint = new CorruptCheckpoint();
        // Find the online network's first weights by value: resume the good checkpoint and read them back.
        byte[] weights;
        using (var trainer = new DqnTrainer(checkpoint.Run.Load(), 0, checkpoint.Folder, new ManagedBlas()))
        {
            trainer.Run(CancellationToken.None, resume: true, until: CorruptCheckpoint.StopStep);
            weights = System.Runtime.InteropServices.MemoryMarshal.AsBytes(((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Values[..8]).ToArray();
        }
        checkpoint.Write(checkpoint.Original);
        int at = checkpoint.Original.AsSpan().IndexOf(weights);
        Assert.True(at > checkpoint.MonitorLengthOffset, "the online weights were not found in the checkpoint");
        checkpoint.Patch(b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(at + 12), poison));
        string message = checkpoint.ResumeExpectingRefusal().Message;
        Assert.Contains("online network's weights hold NaN or infinity", message);
    }

    [Fact]
    public void ThroughTheProcessACorruptCheckpointFailsTheSeedWithTheReason()
    {
        using var checkpoint = new CorruptCheckpoint();
        checkpoint.Write(checkpoint.Original[..(checkpoint.Original.Length / 2)]);
        var result = AgentProcess.Run(checkpoint.Run.Folder, "--config", checkpoint.Run.ConfigPath, "--out", checkpoint.Run.RunsRoot,
                                      "--name", "c", "--resume");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("cannot resume from this checkpoint", result.Stdout);
        Assert.Contains("truncated", result.Stdout);
        ProcessRun.AssertNoStackTrace(result);
        var summary = ProcessRun.Summary(checkpoint.Folder);
        Assert.Equal("failed", summary.GetProperty("status").GetString());
        Assert.Contains("truncated", summary.GetProperty("failure").GetString());
    }

    [Fact]
    public void ThroughTheProcessADifferentHiddenSizeIsRefusedBeforeTheCheckpointIsRead()
    {
        using var checkpoint = new CorruptCheckpoint();
        checkpoint.Write([]); // were the checkpoint read, this would be the complaint
        var result = AgentProcess.Run(checkpoint.Run.Folder, "--config", checkpoint.Run.ConfigPath, "--out", checkpoint.Run.RunsRoot,
                                      "--name", "c", "--resume", "--set", "network.hidden_sizes=[32,16]");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Differing keys: network.hidden_sizes", result.Stderr);
        Assert.DoesNotContain("magic", result.Stderr + result.Stdout);
        ProcessRun.AssertNoStackTrace(result);
    }
}
