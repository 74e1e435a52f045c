using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Modeling;

/// <summary>Entering a handler is transactional: a failing entry leaves the thread's handler stack and plate dims as they were.</summary>
public class HandlerEntryTests
{
    /// <summary>A subsampled plate: run without a seed, its subsample draw throws inside the plate's entry.</summary>
    private static void SubsampledModel()
    {
        using (Plate("data", 10, 3)) Sample("z", new Normal(0.0, 1.0));
    }

    [Fact]
    public void TheSubsampleErrorSurfacesInsteadOfAnOutOfOrderExit()
    {
        // The outer handler's using disposes it while the exception unwinds: a plate left on the stack would make
        // that dispose throw "ScaleMessenger exited out of order" and hide the real cause.
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            using (Handle.Scale(2.0)) SubsampledModel();
        });
        Assert.Contains("no seed is set", e.Message);
        Assert.Contains("'data'", e.Message);
    }

    [Fact]
    public void APlateOnTheSameThreadWorksAfterAFailedEntry()
    {
        Assert.Throws<InvalidOperationException>(SubsampledModel);
        Trace t;
        using (Handle.Seed(4)) t = Handle.TraceOf(SubsampledModel);
        var z = t["z"];
        // The failed plate neither stayed on the stack (it would add a second frame) nor kept dim −1.
        Assert.Equal(["data"], z.Frames.Select(f => f.Name));
        Assert.Equal([-1], z.Frames.Select(f => f.Dim));
        Assert.Equal([3], z.Value!.Shape.ToArray());
        Assert.Equal(10.0 / 3.0, z.Scale, 15);
        // The same dim can be asked for explicitly.
        using (Handle.Seed(4))
        using (var p = Plate("again", 5, dim: -1))
            Assert.Equal(-1, p.Dim);
    }

    [Fact]
    public void NestedHandlersEnterAndExitAfterAFailure()
    {
        // A plate asking for a dim its enclosing plate holds fails in OnEnter; everything after it must nest normally.
        using (Plate("outer", 2, dim: -1))
            Assert.Contains("already used", Assert.Throws<InvalidOperationException>(() => Plate("inner", 3, dim: -1)).Message);
        Assert.Throws<InvalidOperationException>(SubsampledModel);

        var seed = new SeedMessenger(7).Enter();
        var tracer = new TraceMessenger();
        tracer.Enter();
        var scale = new ScaleMessenger(3.0).Enter();
        using (Plate("a", 2))
        using (Plate("b", 4))
            Sample("w", new Normal(0.0, 1.0));
        scale.Dispose();
        tracer.Dispose();
        seed.Dispose();

        var w = tracer.Trace["w"];
        Assert.Equal(["a", "b"], w.Frames.Select(f => f.Name));
        Assert.Equal([-1, -2], w.Frames.Select(f => f.Dim));
        Assert.Equal([4, 2], w.Value!.Shape.ToArray());
        Assert.Equal(3.0, w.Scale);
        // Nothing is left active: a draw outside every handler has no seed.
        Assert.Contains("no seed is set", Assert.Throws<InvalidOperationException>(() => Sample("x", new Normal(0.0, 1.0))).Message);
    }
}
