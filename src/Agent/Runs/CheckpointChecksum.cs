using System.Security.Cryptography;

namespace DqnStudy.Agent.Runs;

/// <summary>
/// A checkpoint ends with the SHA-256 of every byte before it, so a file damaged on disk or in a copy (a flipped
/// byte anywhere, a truncation, bytes appended) is refused before anything in it is trusted, instead of being
/// trained on. The size checks of the reader still guard against a file crafted with a valid checksum.
/// </summary>
public static class CheckpointChecksum
{
    public const int Length = 32;

    /// <summary>Throws InvalidDataException (the reader adds the path) unless the file's last 32 bytes are the SHA-256 of the bytes before them.</summary>
    public static void Verify(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long body = file.Length - Length;
        if (body < 0) throw new InvalidDataException("the checkpoint is truncated (it is shorter than its checksum).");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] chunk = new byte[1 << 16];
        for (long left = body; left > 0;)
        {
            int read = file.Read(chunk, 0, (int)Math.Min(chunk.Length, left));
            if (read == 0) throw new InvalidDataException("the checkpoint shrank while it was read.");
            hash.AppendData(chunk, 0, read);
            left -= read;
        }
        Span<byte> stored = stackalloc byte[Length];
        file.ReadExactly(stored);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(stored))
            throw new InvalidDataException($"the checkpoint is corrupt or truncated: its SHA-256 checksum does not match its content (damaged on disk or in a copy). Remove the seed folder and train it again.");
    }
}

/// <summary>Forwards writes to the checkpoint file and hashes them; <see cref="WriteChecksum"/> appends the hash.
/// Small writes (a counter, a flag) are gathered first, so hashing costs one call per 64 KB.</summary>
internal sealed class ChecksumStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _buffered;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> data)
    {
        if (_buffered + data.Length > _buffer.Length) Drain();
        if (data.Length >= _buffer.Length)
        {
            _hash.AppendData(data);
            inner.Write(data);
            return;
        }
        data.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += data.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Writes the SHA-256 of everything written so far; nothing may be written after it.</summary>
    public void WriteChecksum()
    {
        Drain();
        inner.Write(_hash.GetHashAndReset());
    }

    public override void Flush()
    {
        Drain();
        inner.Flush();
    }

    private void Drain()
    {
        if (_buffered == 0) return;
        _hash.AppendData(_buffer, 0, _buffered);
        inner.Write(_buffer, 0, _buffered);
        _buffered = 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Drain();       // the file itself belongs to the caller (AtomicFile flushes and renames it)
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
