using System.Diagnostics;
using System.Runtime;

namespace Vinfer.Inference;

/// <summary>One phase of a fit: its name, its wall time and the part of it the JIT compiler took on any thread.</summary>
/// <param name="Name">The phase ("pathfinder", "optimization", "averaging", "draws", …).</param>
/// <param name="Seconds">Wall time of the phase.</param>
/// <param name="JitSeconds">Time the runtime spent compiling methods during the phase (<see cref="System.Runtime.JitInfo"/>).</param>
public sealed record FitPhase(string Name, double Seconds, double JitSeconds);

/// <summary>
/// A stopwatch breakdown of a fit into consecutive phases, each with the JIT time inside it: on a small model the
/// first fit in a process spends most of its time compiling, which only this split shows (docs/stan-comparison.md).
/// <see cref="Mark"/> ends the running phase and starts the next one; the phases cover the fit without gaps.
/// </summary>
public sealed class FitPhaseTimes
{
    private readonly List<FitPhase> _phases = [];
    private long _start = Stopwatch.GetTimestamp();
    private TimeSpan _jitStart = JitInfo.GetCompilationTime();

    /// <summary>The phases ended so far, in order.</summary>
    public IReadOnlyList<FitPhase> Phases => _phases;

    /// <summary>Ends the running phase under <paramref name="name"/> and starts the next one now.</summary>
    public void Mark(string name)
    {
        long now = Stopwatch.GetTimestamp();
        var jit = JitInfo.GetCompilationTime();
        _phases.Add(new FitPhase(name, Stopwatch.GetElapsedTime(_start, now).TotalSeconds, (jit - _jitStart).TotalSeconds));
        _start = now;
        _jitStart = jit;
    }
}
