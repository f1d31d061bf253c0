using System.Diagnostics;
using OsProcess = System.Diagnostics.Process;
using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Tests.Sweeps;

/// <summary>
/// The one-node Slurm of scripts/slurm-local.sh, for tests: used if already running (as .ci/run leaves it), else
/// started here and stopped on Dispose. Its state folder is SLURM_LOCAL_STATE or the script's default. Tests skip
/// without root or Debian's slurm-wlm and munge, except on CI (CI=true), where that is a failure.
/// </summary>
public sealed class LocalSlurm : IDisposable
{
    private readonly bool _startedHere;

    private LocalSlurm(string script, string conf, bool startedHere)
    {
        Script = script;
        Conf = conf;
        _startedHere = startedHere;
    }

    public string Script { get; }

    /// <summary>The slurm.conf that sbatch, squeue and scancel must read (SLURM_CONF).</summary>
    public string Conf { get; }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SLURM_CONF"] = Conf };

    public static LocalSlurm StartOrSkip()
    {
        string? missing = !File.Exists("/usr/sbin/slurmctld") || !File.Exists("/usr/sbin/munged") ? "Debian's slurm-wlm and munge are not installed"
                        : System.Environment.UserName != "root" ? "starting munged and slurmd needs root"
                        : null;
        if (missing is not null)
        {
            Assert.False(System.Environment.GetEnvironmentVariable("CI") == "true", $"{missing}; .ci/run installs them and runs as root.");
            Skip.If(true, $"{missing}: the Slurm test needs a local slurmctld (scripts/slurm-local.sh start, as root).");
        }
        string root = ConfigLoader.FindSolutionRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("DqnStudy.sln not found above the tests");
        string script = Path.Combine(root, "scripts", "slurm-local.sh");
        string conf = Run(script, ["env"]).Stdout.Trim().Split('=', 2)[1];
        bool running = Run(script, ["status"]).ExitCode == 0;
        if (!running)
        {
            var start = Run(script, ["start"], TimeSpan.FromSeconds(120));
            Assert.True(start.ExitCode == 0, $"scripts/slurm-local.sh start failed:\n{start.Stdout}\n{start.Stderr}");
        }
        return new LocalSlurm(script, conf, startedHere: !running);
    }

    /// <summary>A Slurm client (squeue, scancel, ...) against this cluster.</summary>
    public (int ExitCode, string Stdout, string Stderr) Client(string tool, params string[] args) => Run(tool, args, null, Environment);

    /// <summary>True once no task of the job is pending or running.</summary>
    public bool JobFinished(string jobId)
    {
        var queue = Client("squeue", "-h", "-j", jobId, "-o", "%i %T");
        return queue.ExitCode != 0 || queue.Stdout.Trim().Length == 0;
    }

    public void Dispose()
    {
        if (_startedHere) Run(Script, ["stop"]);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string file, string[] args, TimeSpan? timeout = null,
                                                                     IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = OsProcess.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
