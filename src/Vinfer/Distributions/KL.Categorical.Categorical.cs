using Vinfer.Tensors;

namespace Vinfer.Distributions;

internal static partial class AnalyticDivergences
{
    /// <summary>KL(Cat(p) ‖ Cat(q)) = Σ pᵢ (log pᵢ − log qᵢ), with 0·log 0 = 0 (log-probabilities clamped at −1e300).</summary>
    internal static Tensor CategoricalCategorical(Categorical p, Categorical q)
    {
        var lp = p.LogitsNormalized.Clamp(min: -1e300); var lq = q.LogitsNormalized.Clamp(min: -1e300);
        return (lp.Exp() * (lp - lq)).Sum(-1);
    }
}
