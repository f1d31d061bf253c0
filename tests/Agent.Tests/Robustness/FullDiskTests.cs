using System.Diagnostics;
using DqnStudy.Agent.Tests.Process;
using OsProcess = System.Diagnostics.Process;

namespace DqnStudy.Agent.Tests.Robustness;

/// <summary>
/// A full disk, for real: a small tmpfs mounted as the output folder. Too small to start → exit 2 before training
/// (the free-space check measures the output's own file system, not `/`); filled while training → that seed ends
/// `failed` with the reason on stderr, no temporary file is left, and every file stays readable. Mounting needs
/// root (CI runs the tests as root); elsewhere they are skipped with the reason, and under CI=true a failed mount fails.
/// </summary>
public sealed class FullDiskTests
{
    [SkippableFact]
    public void AnOutputFileSystemTooSmallForTheRunExitsTwoBeforeTraining()
    {
        using var run = new ProcessRun();
        using var disk = Tmpfs.Mount(Path.Combine(run.Folder, "small"), "200k");
        Tmpfs.RequireMounted(disk);
        var result = AgentProcess.Run(run.Folder, "--config", run.ConfigPath, "--out", disk.Folder);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"free on the file system of {disk.Folder}", result.Stderr);
        Assert.Contains("--out", result.Stderr);
        Assert.DoesNotContain("Training '", result.Stdout);
        ProcessRun.AssertNoStackTrace(result);
        Assert.Empty(Directory.GetFiles(disk.Folder, "*", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public void ADiskThatFillsDuringTrainingFailsTheSeedAndKeepsItsFilesReadable()
    {
        using var run = new ProcessRun();
        using var disk = Tmpfs.Mount(Path.Combine(run.Folder, "disk"), "80m");
        Tmpfs.RequireMounted(disk);
        using var app = AgentProcess.Start(run.Folder, null, "--config", run.ConfigPath, "--out", disk.Folder, "--name", "full",
                                           "--parallel", "1", "--steps", "1000000");
        string seed = Path.Combine(disk.Folder, "full", "seed-0");
        app.WaitUntil(() => ProcessRun.CompleteProgressRows(seed) >= 3, TimeSpan.FromSeconds(60), "training to log");

        string filler = Path.Combine(disk.Folder, "filler");
        FillUp(filler);
        var result = app.WaitForExit(TimeSpan.FromSeconds(60));
        File.Delete(filler);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("error: seed 0 failed: cannot write its run files", result.Stderr);
        Assert.Contains("No space left on device", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        var summary = ProcessRun.Summary(seed);
        Assert.Equal("failed", summary.GetProperty("status").GetString());
        Assert.Contains("No space left on device", summary.GetProperty("failure").GetString());
        ProcessRun.CheckFilesParse(seed);   // throws on anything but a partial last line
        Assert.Empty(Directory.GetFiles(seed, "*.tmp"));
    }

    private static void FillUp(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        foreach (int size in new[] { 1 << 20, 1 << 12, 1 })
        {
            byte[] chunk = new byte[size];
            try
            {
                while (true) { stream.Write(chunk); stream.Flush(); }
            }
            catch (IOException) { }
        }
    }

    /// <summary>A tmpfs of the given size mounted on a new folder (null when this process may not mount).</summary>
    private sealed class Tmpfs : IDisposable
    {
        private Tmpfs(string folder) => Folder = folder;
        public string Folder { get; }

        public static Tmpfs? Mount(string folder, string size)
        {
            if (!OperatingSystem.IsLinux() || Environment.UserName != "root") return null;
            Directory.CreateDirectory(folder);
            return Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder) == 0 ? new Tmpfs(folder) : null;
        }

        public void Dispose() => Run("umount", "-l", Folder);

        /// <summary>Skips (locally) or fails (under CI=true, where the tests run as root) when mounting was refused.</summary>
        public static void RequireMounted([System.Diagnostics.CodeAnalysis.NotNull] Tmpfs? disk)
        {
            if (disk is not null) return;
            const string why = "mounting a tmpfs was refused (needs root and mount rights)";
            if (DqnStudy.Agent.Tests.Tools.ExternalTool.IsCi) Assert.Fail("CI=true but " + why);
            Skip.If(true, why);
        }

        private static int Run(string file, params string[] args)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string arg in args) info.ArgumentList.Add(arg);
            using var process = OsProcess.Start(info)!;
            process.WaitForExit();
            return process.ExitCode;
        }
    }
}
