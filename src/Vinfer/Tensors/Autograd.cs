
using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

/// <summary>
/// The reverse-mode engine: orders the graph below an output topologically and runs each node's vector-Jacobian
/// product once, in reverse. Gradients of leaves accumulate across calls (as in PyTorch) in persistent buffers;
/// gradients of intermediates are temporary and released as soon as their node has run.
/// </summary>
public static class Autograd
{
    private static int _stamp;
    [ThreadStatic] private static List<Tensor>? _order;
    [ThreadStatic] private static Stack<(Tensor, int)>? _stack;

    /// <summary>When set (by <c>vinfer bench nn --profile</c>), told how long each node's backward took on this thread.</summary>
    [ThreadStatic] internal static Action<GradNode, long>? BackwardObserver;

    /// <summary>True when an op on these inputs must record a node.</summary>
    public static bool ShouldRecord(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;

    /// <summary>True when an op on these inputs must record a node.</summary>
    public static bool ShouldRecord(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    /// <summary>True when an op on these inputs must record a node.</summary>
    public static bool ShouldRecord(Tensor a, Tensor b, Tensor c) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad || c.RequiresGrad);

    /// <summary>Attaches <paramref name="node"/> as the creator of <paramref name="output"/>; returns the output.</summary>
    public static Tensor Record(Tensor output, GradNode node)
    {
        output.Node = node;
        return output;
    }

    /// <summary>Computes d(output)/d(leaf) for every leaf below <paramref name="output"/> that requires a gradient.</summary>
    public static void Backward(Tensor output, Tensor? outputGradient = null)
    {
        if (!output.RequiresGrad)
            throw new InvalidOperationException("Backward: the tensor does not require a gradient (no input of the graph has RequiresGrad set, or it was computed under GradMode.Disable()).");
        if (outputGradient is null && output.Count != 1)
            throw new ArgumentException($"Backward: output of shape {Shapes.Format(output.Shape)} is not a scalar; pass the output gradient.");
        if (outputGradient is not null && !Shapes.Equal(outputGradient.Shape, output.Shape))
            throw new ArgumentException($"Backward: output gradient shape {Shapes.Format(outputGradient.Shape)} differs from the output's {Shapes.Format(output.Shape)}.");

        var order = TopologicalOrder(output);
        if (outputGradient is null)
        {
            var seed = Tensor.Uninitialized(output.ShapeArray);
            seed.Span.Fill(1.0);
            Accumulate(output, seed);
        }
        else Accumulate(output, outputGradient);

        using (GradMode.Disable())
        {
            for (int i = order.Count - 1; i >= 0; i--)
            {
                var t = order[i];
                var node = t.Node;
                if (node is null) continue;
                var g = t.Grad;
                if (g is null) continue;
                if (BackwardObserver is { } observer)
                {
                    long start = System.Diagnostics.Stopwatch.GetTimestamp();
                    node.Backward(t, g);
                    observer(node, System.Diagnostics.Stopwatch.GetTimestamp() - start);
                }
                else node.Backward(t, g);
                t.Grad = null; // intermediate gradients are not kept
            }
        }
        order.Clear();
    }

    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = _order ??= new List<Tensor>();
        var stack = _stack ??= new Stack<(Tensor, int)>();
        order.Clear();
        int stamp = Interlocked.Increment(ref _stamp);
        root.VisitStamp = stamp;
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node?.Inputs;
            if (inputs is not null && next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.VisitStamp != stamp && child.RequiresGrad)
                {
                    child.VisitStamp = stamp;
                    stack.Push((child, 0));
                }
            }
            else order.Add(t); // post-order: every input precedes its consumers
        }
        return order;
    }

    /// <summary>
    /// Adds <paramref name="gradient"/> into <paramref name="input"/>'s gradient. A gradient of a broadcast shape is
    /// first summed over the broadcast dimensions. Leaf gradients live in persistent buffers; the caller keeps
    /// ownership of <paramref name="gradient"/>.
    /// </summary>
    public static void Accumulate(Tensor input, Tensor gradient)
    {
        if (!input.RequiresGrad) return;
        if (!Shapes.Equal(gradient.Shape, input.Shape))
            gradient = gradient.SumToShape(input.ShapeArray);
        var existing = input.Grad;
        if (existing is null)
        {
            var g = input.IsLeaf ? Tensor.Persistent(input.ShapeArray) : Tensor.Uninitialized(input.ShapeArray);
            gradient.Span.CopyTo(g.Span);
            input.Grad = g;
        }
        else System.Numerics.Tensors.TensorPrimitives.Add(existing.Span, gradient.Span, existing.Span);
    }

    /// <summary>
    /// Like <see cref="Accumulate"/> for a gradient the caller computed into <paramref name="scratch"/> and does not
    /// need afterwards: an intermediate input adopts the buffer instead of copying it.
    /// </summary>
    public static void AccumulateOwned(Tensor input, Tensor scratch)
    {
        if (!input.RequiresGrad) return;
        if (input.Grad is null && !input.IsLeaf && Shapes.Equal(scratch.Shape, input.Shape))
        {
            input.Grad = scratch;
            return;
        }
        Accumulate(input, scratch);
    }

    /// <summary>
    /// Gradients of a scalar <paramref name="output"/> with respect to <paramref name="inputs"/>, returned rather than
    /// accumulated into <see cref="Tensor.Grad"/> (the inputs' existing gradients are left as they were).
    /// </summary>
    public static Tensor[] Grad(Func<Tensor> output, params Tensor[] inputs)
    {
        var saved = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) { saved[i] = inputs[i].Grad; inputs[i].Grad = null; }
        try
        {
            output().Backward();
            var result = new Tensor[inputs.Length];
            for (int i = 0; i < inputs.Length; i++) result[i] = inputs[i].Grad ?? Tensor.Zeros(inputs[i].ShapeArray);
            return result;
        }
        finally
        {
            for (int i = 0; i < inputs.Length; i++) inputs[i].Grad = saved[i];
        }
    }
}
