using System.Text.Json;
using DqnStudy.Agent.Logging;

namespace DqnStudy.Agent.Runs;

/// <summary>monitor.csv in Stable-Baselines3's Monitor format, so existing RL plotting scripts read it:
/// a first line #{"t_start": unix seconds, "env_id": id}, the header (<see cref="RunFolder.MonitorColumns"/>), one row per episode
/// (return, length, seconds since t_start).</summary>
public sealed class MonitorLog : IDisposable
{
    private readonly CsvLog _csv;

    private MonitorLog(CsvLog csv, double startUnixSeconds)
    {
        _csv = csv;
        StartUnixSeconds = startUnixSeconds;
    }

    public double StartUnixSeconds { get; }
    public long Length => _csv.Length;

    public static MonitorLog Create(string folder, string envId, double startUnixSeconds)
    {
        string header = "#" + JsonSerializer.Serialize(new Dictionary<string, object>
        {
            [RunFolder.MonitorStart] = startUnixSeconds,
            [RunFolder.MonitorEnvId] = envId,
        });
        return new MonitorLog(CsvLog.Create(RunFolder.PathOf(folder, RunFolder.Monitor), header, string.Join(',', RunFolder.MonitorColumns)), startUnixSeconds);
    }

    public static MonitorLog ReopenAt(string folder, long length)
    {
        string path = RunFolder.PathOf(folder, RunFolder.Monitor);
        string first = File.ReadLines(path).FirstOrDefault() ?? "";
        double start = 0;
        if (first.StartsWith('#'))
        {
            using var doc = JsonDocument.Parse(first[1..]);
            start = doc.RootElement.GetProperty(RunFolder.MonitorStart).GetDouble();
        }
        return new MonitorLog(CsvLog.ReopenAt(path, length), start);
    }

    public void Episode(double episodeReturn, int length, double nowUnixSeconds)
    {
        _csv.Add(episodeReturn).Add(length).Add(Math.Round(nowUnixSeconds - StartUnixSeconds, 6)).EndRow();
    }

    public void Dispose() => _csv.Dispose();

    public static double UnixNow() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
}
