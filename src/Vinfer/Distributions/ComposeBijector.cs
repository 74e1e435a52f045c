using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The composition f = f_k ∘ … ∘ f_1 (the first bijector applies first): log|det J| is the sum of the parts', each
/// summed down to the composition's event rank.
/// </summary>
public sealed class ComposeBijector : Bijector
{
    /// <summary>Composes the parts in application order.</summary>
    public ComposeBijector(params Bijector[] parts)
    {
        if (parts.Length == 0) throw new ArgumentException("ComposeBijector: needs at least one part.");
        Parts = parts;
    }

    /// <summary>The parts in application order.</summary>
    public IReadOnlyList<Bijector> Parts { get; }

    /// <inheritdoc />
    public override int InputEventDim
    {
        get
        {
            // The event rank seen at the input: enough to cover every part's event once mapped back.
            int dim = Parts[^1].OutputEventDim;
            for (int i = Parts.Count - 1; i >= 0; i--)
                dim = Math.Max(Parts[i].InputEventDim, dim - Parts[i].OutputEventDim + Parts[i].InputEventDim);
            return dim;
        }
    }

    /// <inheritdoc />
    public override int OutputEventDim
    {
        get
        {
            int dim = Parts[0].InputEventDim;
            foreach (var p in Parts) dim = Math.Max(p.OutputEventDim, dim - p.InputEventDim + p.OutputEventDim);
            return dim;
        }
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor x)
    {
        foreach (var p in Parts) x = p.Forward(x);
        return x;
    }

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        for (int i = Parts.Count - 1; i >= 0; i--) y = Parts[i].Inverse(y);
        return y;
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        Tensor? total = null;
        int eventDim = InputEventDim;
        var current = x;
        foreach (var p in Parts)
        {
            var next = p.Forward(current);
            var l = p.LogAbsDetJacobian(current, next);
            // Sum the part's remaining batch dimensions that are event dimensions of the composition.
            int extra = eventDim - p.InputEventDim;
            for (int i = 0; i < extra; i++) l = l.Sum(-1);
            eventDim = eventDim - p.InputEventDim + p.OutputEventDim;
            total = total is null ? l : total + l;
            current = next;
        }
        return total!;
    }

    /// <inheritdoc />
    public override Constraint Domain => Parts[0].Domain;

    /// <inheritdoc />
    public override Constraint Codomain => Parts[^1].Codomain;

    /// <inheritdoc />
    public override int[] ForwardShape(int[] shape)
    {
        foreach (var p in Parts) shape = p.ForwardShape(shape);
        return shape;
    }

    /// <inheritdoc />
    public override int[] InverseShape(int[] shape)
    {
        for (int i = Parts.Count - 1; i >= 0; i--) shape = Parts[i].InverseShape(shape);
        return shape;
    }

    /// <inheritdoc />
    public override string Name => "Compose(" + string.Join(", ", Parts.Select(p => p.Name)) + ")";
}
