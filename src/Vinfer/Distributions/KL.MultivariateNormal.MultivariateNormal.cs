using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

internal static partial class AnalyticDivergences
{
    /// <summary>
    /// KL(N(μ₁, L₁L₁ᵀ) ‖ N(μ₂, L₂L₂ᵀ)) = ½[‖L₂⁻¹L₁‖²_F + ‖L₂⁻¹(μ₂ − μ₁)‖² − d] + Σ log diag L₂ − Σ log diag L₁
    /// (e.g. Duchi, "Derivations for linear algebra and optimization", §9), with triangular solves, no inverses.
    /// </summary>
    internal static Tensor MultivariateNormalMultivariateNormal(MultivariateNormal p, MultivariateNormal q)
    {
        int d = p.EventShape[0];
        var batch = Shapes.Broadcast(p.BatchShape, q.BatchShape, "KullbackLeibler.Divergence");
        var l1 = p.ScaleTril.Expand([.. batch, d, d]); var l2 = q.ScaleTril.Expand([.. batch, d, d]);
        var m = Tensor.TriangularSolve(l2, l1, lower: true);
        var diff = (q.Loc - p.Loc).Expand([.. batch, d]).Unsqueeze(-1);
        var z = Tensor.TriangularSolve(l2, diff, lower: true);
        return 0.5 * (m.Square().Sum([-2, -1]) + z.Square().Sum([-2, -1]) - d)
            + MultivariateNormal.HalfLogDet(l2) - MultivariateNormal.HalfLogDet(l1);
    }
}
