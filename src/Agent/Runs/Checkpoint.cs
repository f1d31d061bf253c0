using System.Security.Cryptography;
using System.Text;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Logging;

namespace DqnStudy.Agent.Runs;

/// <summary>
/// The frame of checkpoint.bin: magic, format version, the fingerprint of the config that wrote it
/// and the seed, then the trainer's state (whatever its `write` writes), then a trailer and the
/// SHA-256 of everything before it (<see cref="CheckpointChecksum"/>). Everything is
/// validated before anything large is allocated, so a truncated, foreign or hostile file is refused
/// with a message, never read out of range. The frame knows nothing of what is inside: the trainer lays out its
/// state, this class keeps it whole on disk and refuses what is not a checkpoint of this config and seed.
/// </summary>
public static class Checkpoint
{
    private static ReadOnlySpan<byte> Magic => "DQNSCKPT"u8;
    private static ReadOnlySpan<byte> Trailer => "END-CKPT"u8;
    /// <summary>2: the trainer's generator, then the learner's state (network, optimiser, replay, …) for every network kind.
    /// 3: a SHA-256 checksum after the end marker.</summary>
    public const int FormatVersion = 3;

    public static string PathIn(string folder) => RunFolder.PathOf(folder, RunFolder.Checkpoint);

    public static bool ExistsIn(string folder) => File.Exists(PathIn(folder));

    /// <summary>Writes `folder`'s checkpoint.bin atomically (a crash leaves the previous one): header, `write`'s part, trailer, checksum.</summary>
    public static void Save(string folder, DqnConfig config, int seed, Action<BinaryWriter> write)
    {
        AtomicFile.Write(PathIn(folder), stream =>
        {
            using var writer = CreateWriter(stream);
            WriteHeader(writer, Fingerprint(config), seed);
            write(writer);
            WriteTrailer(writer);
        });
    }

    /// <summary>
    /// Reads `folder`'s checkpoint.bin: checks the header (this config, this seed) and the checksum, hands the state to
    /// `read(reader, path)`, checks the trailer, then runs `rebuild(path)` (reopen the logs, replay the interrupted
    /// episode), which may still find the checkpoint does not fit. Anything unreadable or unfit is a
    /// <see cref="CheckpointException"/> that names the file.
    /// </summary>
    public static void Restore(string folder, DqnConfig config, int seed, Action<BinaryReader, string> read, Action<string> rebuild)
    {
        string path = PathIn(folder);
        try
        {
            using (var stream = Open(path))
            using (var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true))
            {
                ReadHeader(reader, path, Fingerprint(config), seed);
                read(reader, path);
                ReadTrailer(reader, path);
            }
            rebuild(path);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException && e is not FileNotFoundException)
        {
            throw new CheckpointException($"{path}: cannot resume from this checkpoint: {e.Message}");
        }
    }

    /// <summary>SHA-256 of the resolved config's YAML, leaving out what may differ between an
    /// interrupted run and its resume without changing a seed's trajectory (how many seeds, which BLAS).</summary>
    public static string Fingerprint(DqnConfig config)
    {
        string yaml = ConfigWriter.ToYaml(ResumeIdentity(config));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
    }

    /// <summary>The config with the keys that do not define a seed's trajectory normalised.</summary>
    public static DqnConfig ResumeIdentity(DqnConfig config) =>
        config with { Training = config.Training with { Seeds = 1 }, Blas = BlasMode.Auto, BlasThreads = 1, Logging = new() };

    internal static void WriteHeader(BinaryWriter writer, string fingerprint, int seed)
    {
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(fingerprint);
        writer.Write(seed);
    }

    /// <summary>A writer whose every byte goes into the checksum <see cref="WriteTrailer"/> appends; disposing it
    /// leaves `file` open.</summary>
    internal static BinaryWriter CreateWriter(Stream file) => new(new ChecksumStream(file), Encoding.UTF8, leaveOpen: false);

    internal static void WriteTrailer(BinaryWriter writer)
    {
        writer.Write(Trailer);
        writer.Flush();
        if (writer.BaseStream is not ChecksumStream checksum)
            throw new InvalidOperationException("A checkpoint is written through Checkpoint.CreateWriter.");
        checksum.WriteChecksum();
    }

    /// <summary>Opens a checkpoint for reading. Every read that meets the end of the file throws
    /// EndOfStreamException saying the checkpoint is truncated and where, instead of BinaryReader's bare
    /// "Unable to read beyond the end of the stream" (a checkpoint is never read up to its end and past it).</summary>
    internal static Stream Open(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"{path}: no checkpoint to resume from (the run never reached its first checkpoint). Start it again without --resume, under another --name.");
        return new TruncationReportingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read));
    }

    internal static void ReadHeader(BinaryReader reader, string path, string expectedFingerprint, int expectedSeed)
    {
        try
        {
            Span<byte> magic = stackalloc byte[8];
            if (reader.Read(magic) != 8 || !magic.SequenceEqual(Magic))
                throw new CheckpointException($"{path}: not a DqnStudy checkpoint (wrong magic bytes).");
            int version = reader.ReadInt32();
            if (version is > 0 and < FormatVersion)
                throw new CheckpointException($"{path}: checkpoint format version {version} was written by an older DqnStudy; this build reads version {FormatVersion} and cannot continue it. Finish the run with the build that started it, or train it again without --resume under another --name.");
            if (version != FormatVersion)
                throw new CheckpointException($"{path}: checkpoint format version {version}, but this build reads version {FormatVersion}.");
            int length = reader.Read7BitEncodedInt();
            if (length is < 0 or > 256)
                throw new CheckpointException($"{path}: corrupt checkpoint header (fingerprint length {length}).");
            reader.BaseStream.Seek(-SevenBitLength(length), SeekOrigin.Current);
            string fingerprint = reader.ReadString();
            if (fingerprint != expectedFingerprint)
                throw new CheckpointException($"{path}: the checkpoint was written with a different config than the one given now.");
            int seed = reader.ReadInt32();
            if (seed != expectedSeed)
                throw new CheckpointException($"{path}: the checkpoint belongs to seed {seed}, not seed {expectedSeed}.");
            // The header said whose checkpoint it is; the checksum says whether the rest can be trusted.
            CheckpointChecksum.Verify(path);
        }
        catch (EndOfStreamException)
        {
            throw new CheckpointException($"{path}: the checkpoint is truncated (it ends inside its header).");
        }
        catch (FormatException)
        {
            // BinaryReader's 7-bit length prefix that never ends: garbage where the fingerprint's length belongs.
            throw new CheckpointException($"{path}: corrupt checkpoint header (unreadable fingerprint length).");
        }
    }

    internal static void ReadTrailer(BinaryReader reader, string path)
    {
        Span<byte> trailer = stackalloc byte[8];
        if (reader.Read(trailer) != 8 || !trailer.SequenceEqual(Trailer))
            throw new CheckpointException($"{path}: the checkpoint is truncated or corrupt (missing end marker).");
        long after = reader.BaseStream.Length - reader.BaseStream.Position - CheckpointChecksum.Length;
        if (after != 0)
            throw new CheckpointException($"{path}: the checkpoint has {after} unexpected bytes between its end marker and its checksum.");
    }

    private static int SevenBitLength(int value)
    {
        int bytes = 1;
        while ((value >>= 7) != 0) bytes++;
        return bytes;
    }
}

/// <summary>A read-only view of a checkpoint file whose reads throw at the end of the file, naming it truncated.</summary>
internal sealed class TruncationReportingStream(FileStream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        if (read == 0 && buffer.Length > 0)
            throw new EndOfStreamException($"the checkpoint is truncated: it ends at byte {inner.Length} where more data was expected.");
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>A checkpoint that cannot be used: the message says why and what to do.</summary>
public sealed class CheckpointException(string message) : Exception(message);
