using Vinfer.Inference;
using Vinfer.Models;

namespace Vinfer.Tests.Inference;

/// <summary>The per-phase wall-time breakdown of <see cref="VariationalFit.Fit"/> (<see cref="FitPhaseTimes"/>).</summary>
public sealed class FitPhaseTimesTests
{
    [Fact]
    public void AFitIsSplitIntoItsPhasesInOrderWithoutGaps()
    {
        var model = new EightSchools().Bind(EightSchools.ClassicData);
        var fit = VariationalFit.Fit(model, new FitOptions { Steps = 50, Tolerance = null, AverageSteps = 20, Draws = 50, Seed = 3 });
        Assert.Equal(["setup", "pathfinder", "guide", "optimization", "averaging", "draws", "summary", "psis and evidence", "verdict"],
            fit.Phases.Select(p => p.Name));
        Assert.All(fit.Phases, p => Assert.True(p.Seconds >= 0 && p.JitSeconds >= 0, $"{p.Name}: {p.Seconds} s, JIT {p.JitSeconds} s"));
        // every phase before the verdict ends before the fit's clock is read, and together they cover the fit up to there
        double beforeVerdict = fit.Phases.Take(fit.Phases.Count - 1).Sum(p => p.Seconds);
        Assert.InRange(beforeVerdict, 0.9 * fit.Seconds, fit.Seconds);
    }

    [Fact]
    public void MarkEndsTheRunningPhase()
    {
        var times = new FitPhaseTimes();
        Thread.Sleep(20);
        times.Mark("first");
        times.Mark("second");
        Assert.Equal(["first", "second"], times.Phases.Select(p => p.Name));
        Assert.True(times.Phases[0].Seconds >= 0.019, $"first phase {times.Phases[0].Seconds} s after sleeping 20 ms");
        Assert.True(times.Phases[1].Seconds < times.Phases[0].Seconds);
    }
}
