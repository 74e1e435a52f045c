
namespace Vinfer.Tensors;

/// <summary>
/// The record an op leaves in the graph: its inputs and its vector-Jacobian product. Subclass it for a new op
/// (a fused likelihood, say) and attach it with <see cref="Autograd.Record"/>.
/// </summary>
public abstract class GradNode
{
    /// <summary>Creates a node over the op's tensor inputs (those a gradient may flow to).</summary>
    protected GradNode(params Tensor[] inputs) => Inputs = inputs;

    /// <summary>The op's inputs, in the order the op defines.</summary>
    public Tensor[] Inputs { get; }

    /// <summary>A short name for error messages and graph dumps.</summary>
    public virtual string Name => GetType().Name.Replace("Backward", "", StringComparison.Ordinal);

    /// <summary>
    /// Given dL/d(output), adds dL/d(input) for every input that requires a gradient, through
    /// <see cref="Autograd.Accumulate"/> (which also sums away broadcast dimensions).
    /// </summary>
    public abstract void Backward(Tensor output, Tensor gradOutput);
}
