using Vinfer.Experiments;

namespace Vinfer.Tests.Experiments;

public class ThreadCpuClockTests
{
    [Fact]
    public void ReadingAdvancesWithWorkAndNeverGoesBack()
    {
        long start = ThreadCpuClock.NowNanoseconds();
        double sink = 0;
        for (int i = 0; i < 2_000_000; i++) sink += Math.Sqrt(i);
        long end = ThreadCpuClock.NowNanoseconds();
        Assert.True(sink > 0);
        Assert.True(end > start, $"clock did not advance: {start} → {end}");
        if (OperatingSystem.IsLinux()) Assert.True(ThreadCpuClock.IsThreadCpuTime);
    }
}
