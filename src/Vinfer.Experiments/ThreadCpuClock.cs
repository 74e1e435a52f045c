using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Vinfer.Experiments;

/// <summary>
/// CPU time consumed by the calling thread, in nanoseconds: clock_gettime(CLOCK_THREAD_CPUTIME_ID) on Linux, with a
/// wall-clock (<see cref="Stopwatch"/>) fallback elsewhere. Charging time budgets in thread CPU time keeps the
/// study's runs-per-budget and per-iteration costs meaningful on a machine shared with other work, where wall time
/// also counts the time the thread spends descheduled.
/// </summary>
public static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;
    private static readonly bool Available = OperatingSystem.IsLinux() && Probe();

    /// <summary>True when the reading is thread CPU time (Linux), false when it falls back to wall time.</summary>
    public static bool IsThreadCpuTime => Available;

    /// <summary>The current reading in nanoseconds (only differences are meaningful).</summary>
    public static long NowNanoseconds()
    {
        if (Available && ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0)
            return ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    private static bool Probe()
    {
        try { return ClockGetTime(ClockThreadCpuTimeId, out _) == 0; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);
}
