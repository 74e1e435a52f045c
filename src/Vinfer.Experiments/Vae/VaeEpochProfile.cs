using System.Diagnostics;
using System.Runtime;
using System.Text.Json.Nodes;

namespace Vinfer.Experiments.Vae;

/// <summary>
/// Where one training epoch of <see cref="VaeExperiment"/> spends its time: wall and thread-CPU seconds of each part of
/// a step (binarizing the batch, the forward pass to the loss, the backward pass, the Adam update), the rest of the
/// epoch, the process's CPU seconds (every thread: BLAS, the JIT's background compiler, the GC), garbage collections
/// per generation, bytes allocated, and the methods the JIT compiled and its compile time in the epoch. Reading the
/// clocks costs about a microsecond per mark, four marks per step. Wall time on a shared machine includes the time the
/// thread waits for a core; the thread-CPU columns do not, which is what makes the breakdown readable at any load.
/// </summary>
internal sealed class VaeEpochProfile
{
    /// <summary>The parts of a training step, in order.</summary>
    internal enum Part { Binarize, Forward, Backward, Update }

    private static readonly string[] Names = ["binarize", "forward", "backward", "update"];
    private readonly long[] _wall = new long[Names.Length];
    private readonly long[] _cpu = new long[Names.Length];
    private long _lastWall, _lastCpu, _startWall, _startCpu, _allocated, _jitMethods;
    private TimeSpan _startProcessCpu, _jitTime, _pause;
    private readonly int[] _collections = new int[3];

    /// <summary>Starts the epoch's clocks and counters.</summary>
    public void Start()
    {
        for (int g = 0; g < 3; g++) _collections[g] = GC.CollectionCount(g);
        _allocated = GC.GetTotalAllocatedBytes(precise: false);
        _jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false);
        _jitTime = System.Runtime.JitInfo.GetCompilationTime(currentThread: false);
        _pause = GC.GetTotalPauseDuration();
        _startProcessCpu = Process.GetCurrentProcess().TotalProcessorTime;
        _startWall = _lastWall = Stopwatch.GetTimestamp();
        _startCpu = _lastCpu = ThreadCpuClock.NowNanoseconds();
    }

    /// <summary>Charges the time since the previous mark (or the start) to <paramref name="part"/>.</summary>
    public void Mark(Part part)
    {
        long wall = Stopwatch.GetTimestamp(), cpu = ThreadCpuClock.NowNanoseconds();
        _wall[(int)part] += wall - _lastWall;
        _cpu[(int)part] += cpu - _lastCpu;
        _lastWall = wall; _lastCpu = cpu;
    }

    /// <summary>The epoch's breakdown, taken at the end of the timed epoch (seconds; "other" is the epoch minus the parts).</summary>
    public JsonObject Finish()
    {
        long wall = Stopwatch.GetTimestamp(), cpu = ThreadCpuClock.NowNanoseconds();
        var processCpu = Process.GetCurrentProcess().TotalProcessorTime - _startProcessCpu;
        double wallSeconds = (wall - _startWall) / (double)Stopwatch.Frequency, cpuSeconds = (cpu - _startCpu) * 1e-9;
        var wallParts = new JsonObject();
        var cpuParts = new JsonObject();
        double wallSum = 0, cpuSum = 0;
        for (int i = 0; i < Names.Length; i++)
        {
            double w = _wall[i] / (double)Stopwatch.Frequency, c = _cpu[i] * 1e-9;
            wallParts[Names[i]] = w; cpuParts[Names[i]] = c;
            wallSum += w; cpuSum += c;
        }
        wallParts["other"] = wallSeconds - wallSum;
        cpuParts["other"] = cpuSeconds - cpuSum;
        return new JsonObject
        {
            ["wall_seconds"] = wallParts,
            ["thread_cpu_seconds"] = cpuParts,
            ["thread_cpu_is_wall"] = !ThreadCpuClock.IsThreadCpuTime,
            ["process_cpu_seconds"] = processCpu.TotalSeconds,
            ["gc_collections"] = new JsonArray(Enumerable.Range(0, 3).Select(g => (JsonNode)(GC.CollectionCount(g) - _collections[g])).ToArray()),
            ["gc_pause_seconds"] = (GC.GetTotalPauseDuration() - _pause).TotalSeconds,
            ["allocated_megabytes"] = (GC.GetTotalAllocatedBytes(precise: false) - _allocated) / 1e6,
            ["jit_methods"] = System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false) - _jitMethods,
            ["jit_seconds"] = (System.Runtime.JitInfo.GetCompilationTime(currentThread: false) - _jitTime).TotalSeconds,
            ["gc_settings"] = $"{(GCSettings.IsServerGC ? "server" : "workstation")}, {GCSettings.LatencyMode}",
        };
    }
}
