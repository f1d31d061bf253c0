using System.ComponentModel;
using System.Diagnostics;

namespace DqnStudy.Agent.Sweeps;

/// <summary>Submits a written array script through the cluster's own <c>sbatch</c>; DqnStudy schedules nothing itself.</summary>
public static class SlurmSubmitter
{
    /// <summary>Runs <c>sbatch --parsable [--array=TASKS%N] SCRIPT</c>. Returns the job id, or null with the reason.</summary>
    public static (string? JobId, string? Problem) Submit(string script, string? array)
    {
        var info = new ProcessStartInfo("sbatch")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--parsable");
        if (array is not null) info.ArgumentList.Add($"--array={array}");
        info.ArgumentList.Add(script);
        try
        {
            using var process = Process.Start(info)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            string output = stdout.Result.Trim(), errors = stderr.Result.Trim();
            if (process.ExitCode != 0)
                return (null, $"sbatch exited with {process.ExitCode}: {(errors.Length > 0 ? errors : output)}");
            // --parsable prints "jobid" or "jobid;cluster".
            return (output.Split(';')[0], null);
        }
        catch (Win32Exception e)
        {
            return (null, $"cannot run sbatch ({e.Message}): submit from a Slurm login node, or run `sbatch {script}` there yourself");
        }
    }
}
