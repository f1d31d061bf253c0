using System.Runtime.InteropServices;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;

namespace DqnStudy.Agent.Hosting;

/// <summary>
/// Free space on the file system that holds the run folder itself (statvfs of the folder, so a tmpfs or a second
/// disk mounted under --out is what is measured, not `/`), against what the run will write: each seed's checkpoint
/// twice over while it is replaced (the old one and the new one's temporary file), and its logs.
/// </summary>
public static class DiskSpace
{
    /// <summary>Never start with less than this: logs and the first checkpoints need room whatever the estimate.</summary>
    public const long MinimumBytes = 64L * 1024 * 1024;

    /// <summary>Null when there is room; else the message. `seeds` is the number of seeds this start will train.</summary>
    public static string? Check(string folder, DqnConfig config, int observationSize, int actions, int seeds)
    {
        if (AvailableBytes(folder) is not { } free) return null;   // not measurable here: the write probe has passed
        double need = Math.Max(MinimumBytes, seeds * SeedBytes(config, observationSize, actions));
        if (free >= need) return null;
        return $"Only {MemoryBudget.Bytes(free)} free on the file system of {folder}; this run needs about {MemoryBudget.Bytes(need)} "
               + $"for its checkpoints and logs ({seeds} seed{(seeds == 1 ? "" : "s")}). Free some space or choose another --out.";
    }

    /// <summary>What one seed writes at most: two checkpoints (weights, optimiser state and the filled replay buffer) and its logs.</summary>
    public static double SeedBytes(DqnConfig config, int observationSize, int actions)
    {
        var budget = MemoryBudget.Estimate(config, observationSize, actions);
        double filled = Math.Min(config.Algorithm.BufferSize, config.Training.TotalSteps) / Math.Max(1.0, config.Algorithm.BufferSize);
        double checkpoint = budget.NetworkBytes * 3 / 5 + budget.ReplayBytes * filled;   // weights ×2 and optimiser state, not gradients
        double logs = config.Training.TotalSteps / (double)config.Training.LogInterval * 1024   // progress rows
                      + config.Training.TotalSteps * 2.0;                                       // monitor and eval rows
        return 2 * checkpoint + logs;
    }

    /// <summary>Bytes an unprivileged writer may still use on the file system holding `folder`, or null if unknown.</summary>
    public static long? AvailableBytes(string folder)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64
                && StatVfs(folder, out var stat) == 0)
            {
                return (long)Math.Min(stat.BlocksAvailable * stat.FragmentSize, long.MaxValue);
            }
            return null;
        }
        try
        {
            return new DriveInfo(Path.GetPathRoot(Path.GetFullPath(folder)) ?? folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // glibc's struct statvfs on 64-bit Linux: eleven unsigned longs, then six ints of padding.
    [StructLayout(LayoutKind.Sequential)]
    private struct Statvfs
    {
        public ulong BlockSize, FragmentSize, Blocks, BlocksFree, BlocksAvailable, Files, FilesFree, FilesAvailable, FsId, Flags, NameMax;
        public int Spare0, Spare1, Spare2, Spare3, Spare4, Spare5;
    }

    [DllImport("libc", EntryPoint = "statvfs", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int StatVfs(string path, out Statvfs buffer);
}
