using Vinfer.Tensors;

namespace Vinfer.Distributions;

internal static partial class AnalyticDivergences
{
    /// <summary>
    /// KL(Gamma(α₁, β₁) ‖ Gamma(α₂, β₂)) = (α₁ − α₂)ψ(α₁) − log Γ(α₁) + log Γ(α₂) + α₂(log β₁ − log β₂) + α₁(β₂ − β₁)/β₁
    /// (Penny, "KL-divergences of Normal, Gamma, Dirichlet and Wishart densities", 2001).
    /// </summary>
    internal static Tensor GammaGamma(Gamma p, Gamma q)
    {
        var a1 = p.Concentration; var b1 = p.Rate; var a2 = q.Concentration; var b2 = q.Rate;
        return (a1 - a2) * a1.Digamma() - a1.LogGamma() + a2.LogGamma() + a2 * (b1.Log() - b2.Log()) + a1 * (b2 - b1) / b1;
    }
}
