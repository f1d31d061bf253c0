using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DqnStudy.Bench;

/// <summary>
/// The CPU time this thread has run (Linux CLOCK_THREAD_CPUTIME_ID, nanosecond resolution). On a machine shared with
/// other jobs a wall-clock chunk also counts the time the scheduler gave the core to someone else; CPU time counts only
/// the time this code ran (caches disturbed by the neighbours still show). Falls back to the wall clock elsewhere.
/// </summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    public static bool IsCpuTime { get; } = OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out _) == 0;

    /// <summary>Microseconds on this thread's CPU-time clock (or the wall clock).</summary>
    public static double Microseconds()
    {
        if (IsCpuTime && ClockGetTime(ClockThreadCpuTime, out TimeSpec t) == 0)
        {
            return t.Seconds * 1e6 + t.Nanoseconds / 1e3;
        }
        return Stopwatch.GetTimestamp() * 1e6 / Stopwatch.Frequency;
    }
}
