namespace Vinfer.Conjugate;

/// <summary>The prior on a mixture's weights (scikit-learn's weight_concentration_prior_type).</summary>
public enum WeightPriorKind
{
    /// <summary>A symmetric Dirichlet(γ, …, γ) (<see cref="DirichletCategorical"/>).</summary>
    Dirichlet,

    /// <summary>A truncated stick-breaking Dirichlet process with concentration γ (<see cref="StickBreakingWeights"/>).</summary>
    DirichletProcess,
}
