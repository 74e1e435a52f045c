using Vinfer.Tensors;

namespace Vinfer.Distributions;

internal static partial class AnalyticDivergences
{
    /// <summary>
    /// KL(Beta(a₁, b₁) ‖ Beta(a₂, b₂)) = log B(a₂, b₂) − log B(a₁, b₁) + (a₁ − a₂)ψ(a₁) + (b₁ − b₂)ψ(b₁)
    /// + (a₂ − a₁ + b₂ − b₁)ψ(a₁ + b₁) (the Dirichlet formula with K = 2; Penny 2001).
    /// </summary>
    internal static Tensor BetaBeta(Beta p, Beta q)
    {
        var a1 = p.Concentration1; var b1 = p.Concentration0; var a2 = q.Concentration1; var b2 = q.Concentration0;
        var t1 = a1 + b1;
        var logB1 = a1.LogGamma() + b1.LogGamma() - t1.LogGamma();
        var logB2 = a2.LogGamma() + b2.LogGamma() - (a2 + b2).LogGamma();
        return logB2 - logB1 + (a1 - a2) * a1.Digamma() + (b1 - b2) * b1.Digamma() + (a2 - a1 + b2 - b1) * t1.Digamma();
    }
}
