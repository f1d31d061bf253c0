using System.Text.Json;
using DqnStudy.Agent.Tests.Config;
using DqnStudy.Agent.Tests.Tools;

namespace DqnStudy.Agent.Tests.Logging;

/// <summary>What read_tfevents.py makes of a seed folder's event files: each file, and the scalars after TensorBoard's purge.</summary>
internal sealed record TensorBoardFiles(IReadOnlyList<(string Name, string? FileVersion, long[] Starts)> Files,
                                        IReadOnlyList<(string Tag, long Step, float Value)> Scalars);

/// <summary>Runs read_tfevents.py (Python, Debian's python3-protobuf, its own CRC32C) on a seed folder.</summary>
internal static class TensorBoardReader
{
    private static string Script => Path.Combine(Repo.Root, "tests", "Agent.Tests", "Logging", "read_tfevents.py");

    /// <summary>Python 3 that imports google.protobuf (skip locally, fail on CI without it).</summary>
    public static string Python() => ExternalTool.Require("python3 with google.protobuf", "apt-get install python3-protobuf",
        python => ExternalTool.Run(python, ["-c", "import google.protobuf"], TimeSpan.FromSeconds(30)).ExitCode == 0,
        "/usr/bin/python3", "python3");

    /// <summary>Runs the reader; the exit code and stderr come back for the corruption tests.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunReader(string python, string folder) =>
        ExternalTool.Run(python, [Script, folder], TimeSpan.FromMinutes(2));

    public static TensorBoardFiles Read(string python, string folder)
    {
        var (code, stdout, stderr) = RunReader(python, folder);
        Assert.True(code == 0, $"read_tfevents.py failed ({code}): {stderr}");
        using var json = JsonDocument.Parse(stdout);
        var files = json.RootElement.GetProperty("files").EnumerateArray()
            .Select(f => (f.GetProperty("name").GetString()!,
                          f.GetProperty("file_version").ValueKind == JsonValueKind.Null ? null : f.GetProperty("file_version").GetString(),
                          f.GetProperty("starts").EnumerateArray().Select(s => s.GetInt64()).ToArray()))
            .ToList();
        var scalars = json.RootElement.GetProperty("scalars").EnumerateArray()
            .Select(s => (s[0].GetString()!, s[1].GetInt64(), (float)s[2].GetDouble())).ToList();
        return new TensorBoardFiles(files, scalars);
    }
}
