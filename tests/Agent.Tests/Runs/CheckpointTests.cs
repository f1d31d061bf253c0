using System.Buffers.Binary;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Tests.EndToEnd;

namespace DqnStudy.Agent.Tests.Runs;

/// <summary>
/// checkpoint.bin's frame without a trainer: what is written is read back whole, and a file that is damaged, from an
/// older build, another seed or another config is refused with a message naming the file and what to do. (The
/// Robustness tests corrupt a real trainer's checkpoint field by field.)
/// </summary>
public sealed class CheckpointTests
{
    private static void WriteState(BinaryWriter writer)
    {
        writer.Write(1234L);
        writer.Write("state");
        writer.Write(new byte[5000]);   // past the checksum stream's small-write gathering
    }

    private static void ReadState(BinaryReader reader, string path)
    {
        Assert.Equal(1234L, reader.ReadInt64());
        Assert.Equal("state", reader.ReadString());
        Assert.Equal(new byte[5000], reader.ReadBytes(5000));
    }

    [Fact]
    public void WhatIsSavedIsRestoredWhole()
    {
        using var run = new TinyRun();
        string folder = run.SeedFolder("frame");
        Checkpoint.Save(folder, run.Load(), 3, WriteState);
        Assert.True(Checkpoint.ExistsIn(folder));
        string? rebuilt = null;
        Checkpoint.Restore(folder, run.Load(), 3, ReadState, path => rebuilt = path);
        Assert.Equal(Checkpoint.PathIn(folder), rebuilt);
        Assert.Equal(RunFolder.Checkpoint, Path.GetFileName(rebuilt));
    }

    /// <summary>Saves a checkpoint, changes its bytes with `damage`, and returns the refusal of the changed file.</summary>
    private static CheckpointException Damaged(Action<byte[]> damage, out string path)
    {
        using var run = new TinyRun();
        string folder = run.SeedFolder("damaged");
        Checkpoint.Save(folder, run.Load(), 3, WriteState);
        path = Checkpoint.PathIn(folder);
        byte[] bytes = File.ReadAllBytes(path);
        damage(bytes);
        File.WriteAllBytes(path, bytes);
        return Assert.Throws<CheckpointException>(() => Checkpoint.Restore(folder, run.Load(), 3, ReadState, _ => { }));
    }

    [Fact]
    public void AFlippedByteIsRefusedByTheChecksum()
    {
        var refused = Damaged(bytes => bytes[bytes.Length / 2] ^= 1, out string path);
        Assert.Contains(path, refused.Message);
        Assert.Contains("checksum", refused.Message);
    }

    [Fact]
    public void AnOlderFormatIsRefusedSayingWhatToDo()
    {
        // The version follows the 8 magic bytes.
        string message = Damaged(bytes => BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 2), out _).Message;
        Assert.Contains("format version 2 was written by an older DqnStudy", message);
        Assert.Contains($"reads version {Checkpoint.FormatVersion}", message);
        Assert.Contains("without --resume", message);
    }

    [Fact]
    public void AnotherSeedsOrConfigsCheckpointIsRefused()
    {
        using var run = new TinyRun();
        string folder = run.SeedFolder("other");
        Checkpoint.Save(folder, run.Load(), 3, WriteState);
        Assert.Contains("belongs to seed 3, not seed 4",
            Assert.Throws<CheckpointException>(() => Checkpoint.Restore(folder, run.Load(), 4, ReadState, _ => { })).Message);
        Assert.Contains("different config",
            Assert.Throws<CheckpointException>(() => Checkpoint.Restore(folder, run.Load("dqn.gamma=0.9"), 3, ReadState, _ => { })).Message);
    }

    [Fact]
    public void AReaderThatStopsShortOrAFailedRebuildIsRefused()
    {
        using var run = new TinyRun();
        string folder = run.SeedFolder("short");
        Checkpoint.Save(folder, run.Load(), 3, WriteState);
        Assert.Contains("missing end marker",
            Assert.Throws<CheckpointException>(() => Checkpoint.Restore(folder, run.Load(), 3, (r, _) => r.ReadInt64(), _ => { })).Message);
        string message = Assert.Throws<CheckpointException>(() => Checkpoint.Restore(folder, run.Load(), 3, ReadState,
            path => throw new InvalidDataException("monitor.csv was truncated outside the tool"))).Message;
        Assert.Contains("cannot resume from this checkpoint: monitor.csv was truncated outside the tool", message);
    }

    [Fact]
    public void NoCheckpointSaysSo()
    {
        using var run = new TinyRun();
        string folder = run.SeedFolder("none");
        Assert.False(Checkpoint.ExistsIn(folder));
        Assert.Contains("no checkpoint to resume from",
            Assert.Throws<CheckpointException>(() => Checkpoint.Restore(folder, run.Load(), 3, ReadState, _ => { })).Message);
    }
}
