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
        // Partials only for the inputs that need them (the value is usually data): each skipped one saves a pass.
        Tensor? dx = grads && x.RequiresGrad ? Tensor.Uninitialized(shape) : null;
        Tensor? da = grads && a.RequiresGrad ? Tensor.Uninitialized(shape) : null;
        Tensor? db = grads && b.RequiresGrad ? Tensor.Uninitialized(shape) : null;
        Run<TKernel>(xs, av, bv, logp, dx, da, db, grads);
        return grads ? Autograd.Record(logp, new FusedBackward(x, a, b, dx, da, db)) : logp;
    }

    private static Tensor Full(Tensor t, int[] shape)
    {
        if (Shapes.Equal(t.Shape, shape)) return t;
        var r = Tensor.Uninitialized(shape);
        if (t.Count == 1) r.Span.Fill(t.Span[0]);
        else Broadcasting.Expand(t.Span, t.Shape, r.Span, shape);
        return r;
    }

    private static void Run<TKernel>(Tensor x, Tensor a, Tensor b, Tensor logp, Tensor? dx, Tensor? da, Tensor? db, bool grads)
        where TKernel : IFusedLogDensityKernel
    {
        int n = logp.Count;
        if (n < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            TKernel.Run(x.Span, a.Span, b.Span, logp.Span, dx is null ? default : dx.Span, da is null ? default : da.Span, db is null ? default : db.Span, grads);
            return;
        }
        double[] xb = x.Buffer, ab = a.Buffer, bb = b.Buffer, lb = logp.Buffer;
        double[]? dxb = dx?.Buffer, dab = da?.Buffer, dbb = db?.Buffer;
        int chunks = (n + Chunk - 1) / Chunk;
        Parallel.For(0, chunks, c =>
        {
            int start = c * Chunk, len = Math.Min(Chunk, n - start);
            TKernel.Run(xb.AsSpan(start, len), ab.AsSpan(start, len), bb.AsSpan(start, len), lb.AsSpan(start, len),
                dxb is null ? default : dxb.AsSpan(start, len), dab is null ? default : dab.AsSpan(start, len), dbb is null ? default : dbb.AsSpan(start, len), grads);
        });
    }

    private sealed class FusedBackward(Tensor x, Tensor a, Tensor b, Tensor? dx, Tensor? da, Tensor? db) : GradNode(x, a, b)
    {
        private bool _consumed;

        public override string Name => "FusedLogDensity";

        public override void Backward(Tensor output, Tensor g)
        {
            // The partials are scaled in place and handed over (one pass each, parallel for large inputs); a second
            // backward through the same graph would find them consumed, so it recomputes nothing and fails loudly.
            if (_consumed) throw new InvalidOperationException("FusedLogDensity: backward ran twice through the same graph; recompute the log-density.");
            _consumed = true;
            Scale(Inputs[0], dx, g);
            Scale(Inputs[1], da, g);
            Scale(Inputs[2], db, g);
        }

        private static void Scale(Tensor input, Tensor? partial, Tensor g)
        {
            if (partial is null || !input.RequiresGrad) return;
            if (Shapes.Equal(input.Shape, partial.Shape))
            {
                // Same shape: write g ⊙ ∂ straight into the input's gradient (one pass instead of scale-then-add).
                if (input.Grad is { } existing)
                {
                    Parallel3(partial, g, existing, static (p, gs, d) => TP.FusedMultiplyAdd(p, gs, d, d));
                    return;
                }
                if (input.IsLeaf)
                {
                    var grad = Tensor.Persistent(input.ShapeArray);
                    Parallel3(partial, g, grad, static (p, gs, d) => TP.Multiply(p, gs, d));
                    input.Grad = grad;
                    return;
                }
            }
            Parallel3(partial, g, partial, static (p, gs, d) => TP.Multiply(p, gs, d));
            Autograd.AccumulateOwned(input, partial);
        }

        private delegate void SpanOp(ReadOnlySpan<double> partial, ReadOnlySpan<double> g, Span<double> destination);

        private static void Parallel3(Tensor partial, Tensor g, Tensor destination, SpanOp op)
        {
            int n = partial.Count;
            if (n < ParallelThreshold || Environment.ProcessorCount == 1) { op(partial.Span, g.Span, destination.Span); return; }
            double[] p = partial.Buffer, gb = g.Buffer, d = destination.Buffer;
            int chunks = (n + Chunk - 1) / Chunk;
            Parallel.For(0, chunks, c =>
            {
                int start = c * Chunk, len = Math.Min(Chunk, n - start);
                op(p.AsSpan(start, len), gb.AsSpan(start, len), d.AsSpan(start, len));
            });
        }
    }
}
