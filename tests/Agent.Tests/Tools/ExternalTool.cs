using System.Diagnostics;

namespace DqnStudy.Agent.Tests.Tools;

/// <summary>
/// Programs outside .NET that some tests start for real (Python with protobuf, headless Chromium). One place decides
/// what a missing one means: a skip with the install command locally, a failure when CI=true (.ci/run installs them,
/// so their absence there is a broken setup, not a skip).
/// </summary>
internal static class ExternalTool
{
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first of `candidates` that exists and for which `works` holds; else skips (or fails on CI).</summary>
    public static string Require(string what, string installHint, Func<string, bool> works, params string[] candidates)
    {
        foreach (string candidate in candidates)
        {
            string? path = Resolve(candidate);
            if (path is not null && works(path)) return path;
        }
        string message = $"{what} not found (tried {string.Join(", ", candidates)}); install it with: {installHint}";
        if (IsCi) Assert.Fail("CI=true but " + message);
        Skip.If(true, message);
        return "";
    }

    /// <summary>Runs a program to the end (at most `timeout`), returning its exit code, stdout and stderr.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"cannot start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not finish within {timeout.TotalSeconds:0} s");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? Resolve(string candidate)
    {
        if (Path.IsPathRooted(candidate)) return File.Exists(candidate) ? candidate : null;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string path = Path.Combine(dir, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
