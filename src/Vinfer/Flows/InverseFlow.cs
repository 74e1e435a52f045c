using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A flow used backwards: y = g⁻¹(x), log|det J| = −log|det J_g| at g⁻¹(x). The inverse of an
/// <see cref="AffineAutoregressive"/> transform is a masked autoregressive flow (MAF; Papamakarios et al., NeurIPS
/// 2017): the density of any point costs one network pass, a sample costs d.
/// </summary>
public sealed class InverseFlow : Flow
{
    /// <summary>The inverse of <paramref name="flow"/>.</summary>
    public InverseFlow(Flow flow) => Flow = flow ?? throw new ArgumentNullException(nameof(flow));

    /// <summary>The flow being inverted.</summary>
    public Flow Flow { get; }

    /// <inheritdoc/>
    public override int Dimension => Flow.Dimension;

    /// <inheritdoc/>
    public override string Name => $"Inverse({Flow.Name})";

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x) => Flow.Inverse(x);

    /// <inheritdoc/>
    protected override Tensor InverseCore(Tensor y) => Flow.Forward(y);

    /// <inheritdoc/>
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => Flow.LogAbsDetJacobian(y, x).Neg();
}
