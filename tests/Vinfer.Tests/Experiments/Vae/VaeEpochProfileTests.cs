using System.Text.Json.Nodes;
using Vinfer.Experiments;
using Vinfer.Experiments.Vae;

namespace Vinfer.Tests.Experiments.Vae;

public class VaeEpochProfileTests
{
    private static double Part(JsonObject profile, string clock, string part) => (double)profile[clock]![part]!;

    [Fact]
    public void ChargesEachPartItsOwnWallAndCpuTimeAndCountsAllocations()
    {
        var profile = new VaeEpochProfile();
        profile.Start();
        profile.Mark(VaeEpochProfile.Part.Binarize); // nothing
        // forward: 100 ms of this thread's CPU (spinning), whatever the machine's load
        long start = ThreadCpuClock.NowNanoseconds();
        while (ThreadCpuClock.NowNanoseconds() - start < 100_000_000) { }
        profile.Mark(VaeEpochProfile.Part.Forward);
        // backward: 60 ms asleep (wall time, almost no CPU)
        Thread.Sleep(60);
        profile.Mark(VaeEpochProfile.Part.Backward);
        // update: a 16 MB allocation
        var block = GC.AllocateUninitializedArray<byte>(16_000_000);
        GC.KeepAlive(block);
        profile.Mark(VaeEpochProfile.Part.Update);
        var p = profile.Finish();

        Assert.True(ThreadCpuClock.IsThreadCpuTime, "the test needs the thread CPU clock (Linux)");
        Assert.InRange(Part(p, "thread_cpu_seconds", "forward"), 0.100, 10);
        Assert.InRange(Part(p, "wall_seconds", "forward"), Part(p, "thread_cpu_seconds", "forward") - 1e-3, 10);
        Assert.InRange(Part(p, "wall_seconds", "backward"), 0.055, 10);
        // the spin is charged to the forward pass only (the allocation may run a collection on this thread: no bound on its CPU)
        Assert.InRange(Part(p, "thread_cpu_seconds", "backward"), 0, 0.05);
        Assert.InRange(Part(p, "thread_cpu_seconds", "binarize"), 0, 0.05);
        Assert.InRange((double)p["allocated_megabytes"]!, 16, 1e4);
        Assert.InRange((double)p["process_cpu_seconds"]!, 0.100, 1e4);
        // "other" is the epoch minus the parts: here only the time between the last mark and Finish
        Assert.InRange(Part(p, "wall_seconds", "other"), -1e-6, 0.2);
        Assert.Equal(3, p["gc_collections"]!.AsArray().Count);
    }
}
