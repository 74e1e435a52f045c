using Vinfer.Tensors;

namespace Vinfer.Distributions;

internal static partial class AnalyticDivergences
{
    /// <summary>
    /// KL(Dir(α) ‖ Dir(β)) = log Γ(α₀) − Σ log Γ(αᵢ) − log Γ(β₀) + Σ log Γ(βᵢ) + Σ (αᵢ − βᵢ)(ψ(αᵢ) − ψ(α₀)) (Penny 2001).
    /// </summary>
    internal static Tensor DirichletDirichlet(Dirichlet p, Dirichlet q)
    {
        var a = p.Concentration; var b = q.Concentration;
        var a0 = a.Sum(-1, keepDim: true); var b0 = b.Sum(-1);
        return a0.Squeeze(-1).LogGamma() - a.LogGamma().Sum(-1) - b0.LogGamma() + b.LogGamma().Sum(-1)
            + ((a - b) * (a.Digamma() - a0.Digamma())).Sum(-1);
    }
}
