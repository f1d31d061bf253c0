using System.Text;

namespace DqnStudy.Agent.Sweeps;

/// <summary>
/// The sbatch script of a sweep: one array task per sweep task, one CPU and one BLAS thread each, a throttle,
/// a log per task (appended to when the task runs again), requeue on preemption, and SIGTERM 120 s before the
/// time limit so the task checkpoints. Each task runs `sweep run FILE` with the index Slurm gives it.
/// </summary>
public static class SlurmScript
{
    public const string FileName = "slurm-array.sh";
    public const int SignalSecondsBeforeLimit = 120;

    public static string LogsFolder(SweepPlan plan, SlurmOptions options) => Path.Combine(plan.Root(options.OutRoot), "logs");

    public static string Write(SweepPlan plan, SlurmOptions options)
    {
        string outRoot = Path.GetFullPath(options.OutRoot);
        var text = new StringBuilder();
        text.AppendLine("#!/bin/bash");
        text.AppendLine($"# Sweep '{plan.Name}' ({plan.Tasks.Count} tasks) as a Slurm job array, written by `sweep slurm`.");
        text.AppendLine("# Submit: sbatch THIS_FILE   Resubmit some tasks: sbatch --array=3,7%N THIS_FILE   (a task is idempotent:");
        text.AppendLine("# a done seed is skipped, an interrupted one resumes from its checkpoint). Progress: `sweep status` on the sweep file.");
        text.AppendLine($"#SBATCH --job-name={plan.Name}");
        text.AppendLine($"#SBATCH --array=0-{plan.Tasks.Count - 1}%{options.Throttle}");
        text.AppendLine("#SBATCH --ntasks=1");
        text.AppendLine("#SBATCH --cpus-per-task=1");
        text.AppendLine($"#SBATCH --output={Path.Combine(LogsFolder(plan, options), "task-%a.log")}");
        text.AppendLine("#SBATCH --open-mode=append");
        text.AppendLine("#SBATCH --requeue");
        text.AppendLine($"#SBATCH --signal=B:TERM@{SignalSecondsBeforeLimit}");
        text.AppendLine($"#SBATCH --chdir={options.WorkingFolder}");
        if (options.Partition is { } partition) text.AppendLine($"#SBATCH --partition={partition}");
        if (options.Account is { } account) text.AppendLine($"#SBATCH --account={account}");
        if (options.Time is { } time) text.AppendLine($"#SBATCH --time={time}");
        if (options.Memory is { } memory) text.AppendLine($"#SBATCH --mem={memory}");
        text.AppendLine("set -euo pipefail");
        text.AppendLine("# One BLAS thread per task: the task has one CPU.");
        text.AppendLine("export MKL_NUM_THREADS=1 OMP_NUM_THREADS=1 DOTNET_CLI_TELEMETRY_OPTOUT=1");
        text.AppendLine("echo \"task ${SLURM_ARRAY_TASK_ID} (job ${SLURM_ARRAY_JOB_ID}, restart ${SLURM_RESTART_COUNT:-0}) on $(hostname) at $(date -u +%FT%TZ)\"");
        text.AppendLine("# exec: Slurm's SIGTERM (scancel, preemption, time limit) reaches DqnStudy, which saves a checkpoint and exits.");
        text.AppendLine($"exec {options.App} sweep run {Quote(plan.File.Path)} --out {Quote(outRoot)}");
        return text.ToString();
    }

    /// <summary>Single-quoted for bash unless plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or ',')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
