using System.Globalization;
using Google.Protobuf;

namespace DqnStudy.Agent.Logging.TensorBoard;

/// <summary>
/// A seed's TensorBoard event file (events.out.tfevents.*), beside its CSV logs and with the same numbers: every
/// progress.csv column as progress/&lt;column&gt;, every episode as episode/return and episode/length (monitor.csv),
/// every greedy evaluation as eval/&lt;column&gt; (eval.csv); the step is the environment step. Each session writes a
/// new file; a resumed one starts with a SessionLog START one step past the checkpoint, which tells TensorBoard to
/// drop what an earlier file logged after the checkpoint (the resumed session logs those steps again). Messages, buffer and tags are made once: logging allocates nothing.
/// </summary>
public sealed class TensorBoardLog : IDisposable
{
    public const string FilePrefix = "events.out.tfevents.";
    public const string FileVersion = "brain.Event:2";
    public const string EpisodeReturnTag = "episode/return", EpisodeLengthTag = "episode/length";

    private readonly TfRecordWriter _records;
    private readonly string[] _progressTags;
    private readonly string[] _evalTags;
    private readonly Event _event = new();
    private readonly Summary _summary = new();
    private readonly Summary.Types.Value _value = new();
    private byte[] _buffer = new byte[256];

    private TensorBoardLog(FileStream stream, IReadOnlyList<string> progressColumns, IReadOnlyList<string> evalColumns)
    {
        _records = new TfRecordWriter(stream);
        _progressTags = progressColumns.Select(c => "progress/" + c).ToArray();
        _evalTags = evalColumns.Select(c => "eval/" + c).ToArray();
        _summary.Value.Add(_value);
        Path = stream.Name;
    }

    public string Path { get; }

    /// <summary>A new event file in `folder`; `resumedAt` = the checkpoint's step when a session resumes (it logs only later steps).
    /// The columns name the rows <see cref="ProgressRow"/> and <see cref="Evaluation"/> take; the first is the step.</summary>
    public static TensorBoardLog Create(string folder, IReadOnlyList<string> progressColumns, IReadOnlyList<string> evalColumns, long? resumedAt)
    {
        string stem = string.Create(CultureInfo.InvariantCulture,
            $"{FilePrefix}{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Sanitise(Environment.MachineName)}.{Environment.ProcessId}");
        for (int n = 0; ; n++)
        {
            string path = System.IO.Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{stem}.{n}"));
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 4096);
            }
            catch (IOException) when (File.Exists(path))
            {
                continue;   // an earlier session of this process in the same second
            }
            var log = new TensorBoardLog(stream, progressColumns, evalColumns);
            log.Start(resumedAt);
            return log;
        }
    }

    /// <summary>One progress.csv row (its first column is the step); empty cells (NaN) are not logged.</summary>
    public void ProgressRow(ReadOnlySpan<double> row) => Row(_progressTags, row);

    /// <summary>One eval.csv row (its first column is the step).</summary>
    public void Evaluation(ReadOnlySpan<double> row) => Row(_evalTags, row);

    private void Row(string[] tags, ReadOnlySpan<double> row)
    {
        if (row.Length != tags.Length)
            throw new ArgumentException($"{nameof(row)} has {row.Length} entries but its file has {tags.Length} columns.", nameof(row));
        long step = (long)row[0];
        for (int c = 1; c < row.Length; c++) Scalar(tags[c], step, row[c]);
        _records.Flush();
    }

    public void Episode(long step, double episodeReturn, int length)
    {
        Scalar(EpisodeReturnTag, step, episodeReturn);
        Scalar(EpisodeLengthTag, step, length);
        _records.Flush();
    }

    public void Dispose() => _records.Dispose();

    private void Scalar(string tag, long step, double value)
    {
        if (double.IsNaN(value)) return;   // as in the CSV: no value this interval
        _value.Tag = tag;
        _value.SimpleValue = (float)value;
        _event.Summary = _summary;
        WriteEvent(step);
    }

    private void Start(long? resumedAt)
    {
        _event.FileVersion = FileVersion;
        WriteEvent(resumedAt ?? 0);
        if (resumedAt is { } checkpointStep)
        {
            // TensorBoard keeps an earlier file's values at steps below a START's step: those up to the checkpoint.
            _event.SessionLog = new SessionLog { Status = SessionLog.Types.SessionStatus.Start };
            WriteEvent(checkpointStep + 1);
        }
        _records.Flush();
    }

    private void WriteEvent(long step)
    {
        _event.WallTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        _event.Step = step;
        int size = _event.CalculateSize();
        if (size > _buffer.Length) _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
        Span<byte> payload = _buffer.AsSpan(0, size);
        _event.WriteTo(payload);
        _records.Write(payload);
    }

    private static string Sanitise(string host) =>
        new(host.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' ? c : '_').ToArray());
}
