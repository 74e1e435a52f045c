using Vinfer.Experiments;

namespace Vinfer.Tests.Experiments;

public class ThreadCpuClockTests
{
    [Fact]
    public void ReadingAdvancesWithWorkAndNeverGoesBack()
    {
        long start = ThreadCpuClock.NowNanoseconds();
        double sum = 0;
        for (int i = 0; i < 2_000_000; i++) sum += Math.Sqrt(i);
        long end = ThreadCpuClock.NowNanoseconds();
        // The work is real (and cannot be optimized away): Σ√i for i < N is (2/3)N^(3/2) − ½√N + ζ(−½) + O(N^(−½)), ζ(−½) ≈ −0.2079.
        const double n = 2_000_000;
        double expected = 2.0 / 3 * Math.Pow(n, 1.5) - 0.5 * Math.Sqrt(n) - 0.207886224977;
        Assert.True(Math.Abs(sum - expected) <= 1e-10 * expected, $"Σ√i = {sum:R}, expected {expected:R}"); // rounding over 2e6 additions: ≤ N·ε relative
        Assert.True(end > start, $"clock did not advance: {start} → {end}");
        if (OperatingSystem.IsLinux()) Assert.True(ThreadCpuClock.IsThreadCpuTime);
    }
}
