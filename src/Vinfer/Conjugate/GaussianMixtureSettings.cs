namespace Vinfer.Conjugate;

/// <summary>
/// The priors and structure of a <see cref="BayesianGaussianMixture"/>, with scikit-learn's BayesianGaussianMixture
/// defaults (version 1.2–1.4): weight concentration γ = 1/K, mean precision β₀ = 1, mean prior m₀ = the data's mean,
/// degrees of freedom ν₀ = d, covariance prior W₀⁻¹ = the data's covariance (ddof = 1; its diagonal, the variances,
/// for diagonal covariances), Dirichlet-process weights. scikit-learn also adds reg_covar = 1e-6 to each component's
/// scatter; here <see cref="CovarianceRegularization"/> does the same when set (default 0, the exact conjugate model).
/// </summary>
public sealed record GaussianMixtureSettings
{
    /// <summary>The number of components K (≥ 1).</summary>
    public int Components { get; init; } = 1;

    /// <summary>Full or diagonal covariances.</summary>
    public CovarianceKind Covariance { get; init; } = CovarianceKind.Full;

    /// <summary>Dirichlet or Dirichlet-process (stick-breaking) weights.</summary>
    public WeightPriorKind WeightPrior { get; init; } = WeightPriorKind.DirichletProcess;

    /// <summary>γ; null: 1/K.</summary>
    public double? WeightConcentration { get; init; }

    /// <summary>β₀.</summary>
    public double MeanPrecision { get; init; } = 1.0;

    /// <summary>m₀; null: the data's mean.</summary>
    public double[]? MeanPrior { get; init; }

    /// <summary>ν₀; null: d.</summary>
    public double? DegreesOfFreedom { get; init; }

    /// <summary>W₀⁻¹ (d×d row-major for full covariances, d variances for diagonal ones); null: from the data.</summary>
    public double[]? CovariancePrior { get; init; }

    /// <summary>Added to the diagonal of every component's expected scatter per point (scikit-learn's reg_covar); 0: none.</summary>
    public double CovarianceRegularization { get; init; }

    /// <summary>Rows per block of the E-step kernel.</summary>
    public int BlockRows { get; init; } = 2048;
}
