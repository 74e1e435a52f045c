using Vinfer.Tensors;

namespace Vinfer.Distributions;

internal static partial class AnalyticDivergences
{
    /// <summary>
    /// KL(N(μ₁, σ₁²) ‖ N(μ₂, σ₂²)) = log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½ (e.g. Bishop, PRML, ex. 1.30).
    /// </summary>
    internal static Tensor NormalNormal(Normal p, Normal q)
    {
        var ratio = p.Scale / q.Scale;
        var diff = (p.Loc - q.Loc) / q.Scale;
        return 0.5 * (ratio.Square() + diff.Square() - 1.0) - ratio.Log();
    }
}
