using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using OsProcess = System.Diagnostics.Process;

namespace DqnStudy.Agent.Tests.Process;

/// <summary>
/// The real app as a child process: `dotnet DqnStudy.Agent.dll ...` from the test's bin folder (the app and its
/// runtimeconfig are copied next to the test assembly), in a working folder of the test's choosing, with its
/// own environment. Tests see exactly what a user sees: exit code, stdout, stderr and the files.
/// </summary>
public sealed class AgentProcess : IDisposable
{
    private static readonly string AppPath = Path.Combine(AppContext.BaseDirectory, "DqnStudy.Agent.dll");
    private readonly OsProcess _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private AgentProcess(OsProcess process) => _process = process;

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }
    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Runs the app to completion and returns what it did.</summary>
    public static AgentResult Run(string workingFolder, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(workingFolder, environment, args);
        return process.WaitForExit(TimeSpan.FromSeconds(60));
    }

    public static AgentResult Run(string workingFolder, params string[] args) => Run(workingFolder, null, args);

    /// <summary>Runs the app under a launcher command, e.g. ["prlimit", "--nofile=300:300", "--"].</summary>
    public static AgentResult RunUnder(IReadOnlyList<string> launcher, string workingFolder, params string[] args)
    {
        using var process = Start(workingFolder, null, args, launcher);
        return process.WaitForExit(TimeSpan.FromSeconds(60));
    }

    public static AgentProcess Start(string workingFolder, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Start(workingFolder, environment, args, null);

    private static AgentProcess Start(string workingFolder, IReadOnlyDictionary<string, string>? environment, string[] args,
                                      IReadOnlyList<string>? launcher)
    {
        if (!File.Exists(AppPath)) throw new FileNotFoundException($"The app is not next to the tests: {AppPath}");
        var info = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A test process started as a background job inherits SIGINT ignored, and so would the app, which then
        // cannot be interrupted; `env --default-signal=INT` gives the child the default disposition back.
        if (SigIntIgnored())
        {
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add(info.FileName);
            info.FileName = "/usr/bin/env";
        }
        if (launcher is { Count: > 0 })
        {
            info.ArgumentList.Insert(0, info.FileName);
            for (int i = launcher.Count - 1; i >= 1; i--) info.ArgumentList.Insert(0, launcher[i]);
            info.FileName = launcher[0];
        }
        info.ArgumentList.Add(AppPath);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        foreach (string name in new[] { "DQNSTUDY_BLAS", "DQNSTUDY_MKL_LIBRARY" }) info.Environment.Remove(name);
        if (environment is not null)
        {
            foreach (var (name, value) in environment) info.Environment[name] = value;
        }
        var process = new OsProcess { StartInfo = info };
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (agent._stdout) agent._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (agent._stderr) agent._stderr.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    public AgentResult WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The app did not exit within {timeout}. stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // drains the redirected output
        return new AgentResult(_process.ExitCode, Stdout, Stderr);
    }

    /// <summary>SIGKILL: the process gets no chance to save or flush anything.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGINT, as Ctrl+C in a terminal sends it.</summary>
    public void Interrupt()
    {
        if (Kill(_process.Id, SigInt) != 0) throw new InvalidOperationException($"kill({_process.Id}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits until `condition` holds (polling), failing with the app's output if it exits or times out first.</summary>
    public void WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited ({_process.ExitCode}) before {what}. stdout:\n{Stdout}\nstderr:\n{Stderr}");
            if (clock.Elapsed > timeout) throw new TimeoutException($"Waited {timeout} for {what}. stdout:\n{Stdout}");
            Thread.Sleep(20);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private const int SigInt = 2;

    // DllImport, not LibraryImport: the source-generated form needs AllowUnsafeBlocks, which only Nn has.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static bool SigIntIgnored()
    {
        // /proc/self/status: "SigIgn:\t<hex mask>", bit (signal - 1).
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0;
    }
}

/// <summary>What a finished app process did.</summary>
public sealed record AgentResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}
