using System.Globalization;
using System.Text;

namespace DqnStudy.Agent.Logging;

/// <summary>
/// An append-only CSV file that is flushed to the OS after every row, so a process killed at any
/// moment leaves every complete row readable (at worst a partial last line, which readers skip).
/// Rows are formatted into a reused char buffer: writing a row allocates nothing.
/// </summary>
public sealed class CsvLog : IDisposable
{
    private readonly FileStream _stream;
    private readonly StreamWriter _writer;
    private char[] _row = new char[1024];
    private int _length;
    private bool _firstField = true;

    private CsvLog(FileStream stream)
    {
        _stream = stream;
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 4096);
    }

    public string Path => _stream.Name;

    /// <summary>Current length in bytes of everything written (a checkpoint records it to truncate back to).</summary>
    public long Length
    {
        get
        {
            _writer.Flush();
            return _stream.Length;
        }
    }

    /// <summary>Creates a new file with the given header lines (fails if it exists). The header is written
    /// to a temporary file and renamed into place, so a kill at any moment never leaves a CSV without its header.</summary>
    public static CsvLog Create(string path, params string[] headerLines)
    {
        if (File.Exists(path)) throw new IOException($"{path} already exists.");
        AtomicFile.WriteAllText(path, string.Concat(headerLines.Select(line => line + "\n")));
        var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        return new CsvLog(stream);
    }

    /// <summary>Reopens an existing file for appending after cutting it back to `length` bytes
    /// (the length a checkpoint recorded), dropping rows written after that checkpoint.</summary>
    public static CsvLog ReopenAt(string path, long length)
    {
        if (length < 0)
            throw new InvalidDataException($"{path}: the checkpoint records a negative length ({length}) for this log; the checkpoint is corrupt.");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        if (length > stream.Length)
        {
            stream.Dispose();
            throw new InvalidDataException($"{path} is {new FileInfo(path).Length} bytes but the checkpoint expects at least {length}: the log was truncated outside the tool.");
        }
        stream.SetLength(length);
        stream.Seek(0, SeekOrigin.End);
        return new CsvLog(stream);
    }

    public CsvLog Add(double value)
    {
        Separator();
        if (double.IsNaN(value))
        {
            return this; // an empty field: "no value this interval"
        }
        Ensure(32);
        value.TryFormat(_row.AsSpan(_length), out int written, "R", CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>A float in its own shortest round-trip form (0.1f prints as 0.1, not 0.10000000149011612).</summary>
    public CsvLog Add(float value)
    {
        Separator();
        if (float.IsNaN(value))
        {
            return this;
        }
        Ensure(24);
        value.TryFormat(_row.AsSpan(_length), out int written, "R", CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    public CsvLog Add(long value)
    {
        Separator();
        Ensure(24);
        value.TryFormat(_row.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>Writes the row and a newline, then flushes to the OS.</summary>
    public void EndRow()
    {
        Ensure(1);
        _row[_length++] = '\n';
        _writer.Write(_row.AsSpan(0, _length));
        _writer.Flush();
        _length = 0;
        _firstField = true;
    }

    public void Dispose()
    {
        _writer.Flush();
        _writer.Dispose();
    }

    private void Separator()
    {
        if (!_firstField)
        {
            Ensure(1);
            _row[_length++] = ',';
        }
        _firstField = false;
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _row.Length) Array.Resize(ref _row, Math.Max(_row.Length * 2, _length + extra));
    }
}
