using System.Buffers.Binary;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Hosting;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Robustness;

/// <summary>
/// A TinyRun interrupted at step 300 (config.yaml, logs and checkpoint.bin as the app leaves them), plus the byte
/// offsets of the checkpoint's fields that hostile-file tests patch. The offsets are found by walking the format
/// (Checkpoint header, DqnTrainer.SaveState counters, ReplayBuffer.Save at the end) and checked
/// against known values, so a format change fails here loudly instead of patching the wrong bytes.
/// </summary>
public sealed class CorruptCheckpoint : IDisposable
{
    public const long StopStep = 300;
    public const int ReplayTransitionBytes = 4 * 4 + 4 * 4 + 4 + 4 + 4 + 1; // obs, next obs, action, reward, terminated, truncated

    public CorruptCheckpoint(string name = "c", int seed = 0, params string[] overrides)
    {
        Run = new TinyRun();
        Create(Run, name, seed, overrides);
        Folder = Run.SeedFolder(name, seed);
        Original = File.ReadAllBytes(CheckpointPath);

        // Header: magic(8) version(4) fingerprint(7-bit length + chars) seed(4).
        FingerprintLengthOffset = 12;
        int fingerprintLength = Original[FingerprintLengthOffset];
        Assert.Equal(64, fingerprintLength); // SHA-256 as hex
        SeedOffset = FingerprintLengthOffset + 1 + fingerprintLength;
        StepOffset = SeedOffset + 4;
        Assert.Equal(StopStep, BinaryPrimitives.ReadInt64LittleEndian(Original.AsSpan(StepOffset)));
        EpisodeLengthOffset = StepOffset + 4 * 8 + 4;
        int episodeLength = BinaryPrimitives.ReadInt32LittleEndian(Original.AsSpan(EpisodeLengthOffset));
        int offset = EpisodeLengthOffset + 4 + 4 * episodeLength + 3 * 8;
        bool hasEvaluation = Original[offset] != 0;
        MonitorLengthOffset = offset + 1 + (hasEvaluation ? 5 * 8 + 4 : 0);
        Assert.Equal(new FileInfo(Path.Combine(Folder, "monitor.csv")).Length,
                     BinaryPrimitives.ReadInt64LittleEndian(Original.AsSpan(MonitorLengthOffset)));
        // Replay buffer last: capacity, observation size, count, position, then the transitions, then the 8-byte trailer
        // and the 32-byte checksum.
        ReplayCapacityOffset = Original.Length - CheckpointChecksum.Length - 8 - (int)StopStep * ReplayTransitionBytes - 16;
        Assert.Equal(1000, BinaryPrimitives.ReadInt32LittleEndian(Original.AsSpan(ReplayCapacityOffset)));
        Assert.Equal(4, BinaryPrimitives.ReadInt32LittleEndian(Original.AsSpan(ReplayCapacityOffset + 4)));
        ReplayCountOffset = ReplayCapacityOffset + 8;
        Assert.Equal((int)StopStep, BinaryPrimitives.ReadInt32LittleEndian(Original.AsSpan(ReplayCountOffset)));
    }

    public TinyRun Run { get; }
    public string Folder { get; }
    public string CheckpointPath => Path.Combine(Folder, RunFolder.Checkpoint);
    public byte[] Original { get; }
    public int FingerprintLengthOffset { get; }
    public int SeedOffset { get; }
    public int StepOffset { get; }
    public int EpisodeLengthOffset { get; }
    public int MonitorLengthOffset { get; }
    public int ReplayCapacityOffset { get; }
    public int ReplayCountOffset { get; }

    /// <summary>Trains `name`/seed to step 300 and stops as Ctrl+C would: config recorded, checkpoint saved.</summary>
    public static void Create(TinyRun run, string name, int seed, params string[] overrides)
    {
        var config = run.Load(overrides);
        string folder = run.SeedFolder(name, seed);
        RunFolderPreparer.WriteConfig(folder, config);
        using var trainer = new DqnTrainer(config, seed, folder, new ManagedBlas());
        Assert.Equal(RunStatus.Interrupted, trainer.Run(CancellationToken.None, until: StopStep));
    }

    public void Write(byte[] bytes) => File.WriteAllBytes(CheckpointPath, bytes);

    /// <summary>Changes the original as a hostile writer would: the checksum is recomputed afterwards, so what is
    /// tested is the reader's validation of the content, not the checksum (<see cref="Damage"/> tests that).</summary>
    public void Patch(Action<byte[]> patch)
    {
        byte[] bytes = (byte[])Original.Clone();
        patch(bytes);
        Write(Seal(bytes));
    }

    /// <summary>Changes the original as a bad disk or copy would: the checksum is left as it was.</summary>
    public void Damage(Action<byte[]> damage)
    {
        byte[] bytes = (byte[])Original.Clone();
        damage(bytes);
        Write(bytes);
    }

    /// <summary>The bytes with their last 32 replaced by the SHA-256 of the rest, as the app writes it.</summary>
    public static byte[] Seal(byte[] bytes)
    {
        System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(0, bytes.Length - CheckpointChecksum.Length),
                                                     bytes.AsSpan(bytes.Length - CheckpointChecksum.Length));
        return bytes;
    }

    /// <summary>Resumes in-process; returns the refusal, asserting that nothing large was allocated and that
    /// the checkpoint and the logs were left exactly as they were.</summary>
    public CheckpointException ResumeExpectingRefusal()
    {
        var before = Snapshot();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var refusal = Assert.Throws<CheckpointException>(() =>
        {
            using var trainer = new DqnTrainer(Run.Load(), 0, Folder, new ManagedBlas());
            trainer.Run(CancellationToken.None, resume: true);
        });
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.True(allocated < 32L * 1024 * 1024, $"refusing the checkpoint allocated {allocated:N0} bytes");
        Assert.Contains(CheckpointPath, refusal.Message);
        var after = Snapshot();
        foreach (var (file, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[file]), $"{file} was changed by a refused resume");
        return refusal;
    }

    private Dictionary<string, byte[]> Snapshot() =>
        new[] { RunFolder.Checkpoint, "monitor.csv", "progress.csv", "eval.csv", "summary.json" }
            .ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(Folder, f)));

    public void Dispose() => Run.Dispose();
}
