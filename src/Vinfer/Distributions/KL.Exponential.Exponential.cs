using Vinfer.Tensors;

namespace Vinfer.Distributions;

internal static partial class AnalyticDivergences
{
    /// <summary>KL(Exp(λ₁) ‖ Exp(λ₂)) = log λ₁ − log λ₂ + λ₂/λ₁ − 1.</summary>
    internal static Tensor ExponentialExponential(Exponential p, Exponential q) => p.Rate.Log() - q.Rate.Log() + q.Rate / p.Rate - 1.0;
}
