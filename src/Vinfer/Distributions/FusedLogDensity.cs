using Vinfer.Autodiff;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Distributions;

/// <summary>
/// The driver of fused log-density ops: broadcasts (value, a, b), runs the kernel once over the data (in parallel
/// chunks for large inputs) producing the log-density and, when a gradient is needed, all partials in the same pass;
/// the backward pass is then one multiply per input. This replaces a chain of ~10 elementwise ops, each a pass
/// over memory and a graph node.
/// </summary>
internal static class FusedLogDensity
{
    /// <summary>Inputs shorter than this run on the calling thread.</summary>
    private const int ParallelThreshold = 1 << 15;

    /// <summary>Elements per parallel chunk (a multiple of the vector width).</summary>
    private const int Chunk = 1 << 13;

    public static Tensor Apply<TKernel>(Tensor x, Tensor a, Tensor b, string name) where TKernel : IFusedLogDensityKernel
    {
        int[] shape = x.ShapeArray;
        if (!Shapes.Equal(a.Shape, shape) || !Shapes.Equal(b.Shape, shape))
            shape = Shapes.Broadcast(Shapes.Broadcast(x.Shape, a.Shape, name), b.Shape, name);
        var xs = Full(x, shape); var av = Full(a, shape); var bv = Full(b, shape);
        var logp = Tensor.Uninitialized(shape);
        bool grads = Autograd.ShouldRecord(x, a, b);
        Tensor? dx = null, da = null, db = null;
        if (grads) { dx = Tensor.Uninitialized(shape); da = Tensor.Uninitialized(shape); db = Tensor.Uninitialized(shape); }
        Run<TKernel>(xs, av, bv, logp, dx, da, db);
        return grads ? Autograd.Record(logp, new FusedBackward(x, a, b, dx!, da!, db!)) : logp;
    }

    private static Tensor Full(Tensor t, int[] shape)
    {
        if (Shapes.Equal(t.Shape, shape)) return t;
        var r = Tensor.Uninitialized(shape);
        if (t.Count == 1) r.Span.Fill(t.Span[0]);
        else Broadcasting.Expand(t.Span, t.Shape, r.Span, shape);
        return r;
    }

    private static void Run<TKernel>(Tensor x, Tensor a, Tensor b, Tensor logp, Tensor? dx, Tensor? da, Tensor? db)
        where TKernel : IFusedLogDensityKernel
    {
        int n = logp.Count;
        bool grads = dx is not null;
        if (n < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            TKernel.Run(x.Span, a.Span, b.Span, logp.Span, grads ? dx!.Span : default, grads ? da!.Span : default, grads ? db!.Span : default, grads);
            return;
        }
        double[] xb = x.Buffer, ab = a.Buffer, bb = b.Buffer, lb = logp.Buffer;
        double[]? dxb = dx?.Buffer, dab = da?.Buffer, dbb = db?.Buffer;
        int chunks = (n + Chunk - 1) / Chunk;
        Parallel.For(0, chunks, c =>
        {
            int start = c * Chunk, len = Math.Min(Chunk, n - start);
            TKernel.Run(xb.AsSpan(start, len), ab.AsSpan(start, len), bb.AsSpan(start, len), lb.AsSpan(start, len),
                grads ? dxb.AsSpan(start, len) : default, grads ? dab.AsSpan(start, len) : default, grads ? dbb.AsSpan(start, len) : default, grads);
        });
    }

    private sealed class FusedBackward(Tensor x, Tensor a, Tensor b, Tensor dx, Tensor da, Tensor db) : GradNode(x, a, b)
    {
        public override string Name => "FusedLogDensity";

        public override void Backward(Tensor output, Tensor g)
        {
            Scale(Inputs[0], dx, g);
            Scale(Inputs[1], da, g);
            Scale(Inputs[2], db, g);
        }

        private static void Scale(Tensor input, Tensor partial, Tensor g)
        {
            if (!input.RequiresGrad) return;
            var r = Tensor.Uninitialized(g.ShapeArray);
            TP.Multiply(partial.Span, g.Span, r.Span);
            Autograd.AccumulateOwned(input, r);
        }
    }
}
