namespace Vinfer.Inference;

/// <summary>The automatic variational families <see cref="VariationalFit"/> offers.</summary>
public enum VariationalFamily
{
    /// <summary>Independent normals in unconstrained space (ADVI mean-field; <see cref="Guides.AutoNormal"/>).</summary>
    MeanField,
    /// <summary>One multivariate normal with a full Cholesky factor (ADVI full-rank; <see cref="Guides.AutoMultivariateNormal"/>).</summary>
    FullRank,
    /// <summary>A multivariate normal with low-rank-plus-diagonal covariance (<see cref="Guides.AutoLowRankMultivariateNormal"/>).</summary>
    LowRank,
    /// <summary>A point mass: MAP estimation (<see cref="Guides.AutoDelta"/>).</summary>
    Map,
    /// <summary>RealNVP affine coupling layers with ActNorm over a diagonal Gaussian (<see cref="Guides.AutoNormalizingFlow"/>).</summary>
    Flow,
    /// <summary>Inverse autoregressive flows on MADE over a diagonal Gaussian (<see cref="Guides.AutoIafNormal"/>).</summary>
    Iaf,
    /// <summary>Neural spline flows: rational-quadratic spline coupling layers over a diagonal Gaussian (<see cref="Guides.AutoNormalizingFlow"/>).</summary>
    Nsf,
    /// <summary>Planar flows over a diagonal Gaussian (<see cref="Guides.AutoNormalizingFlow"/>).</summary>
    Planar,
    /// <summary>Stein variational gradient descent: <see cref="FitOptions.Particles"/> particles are the draws (<see cref="Svgd"/>).</summary>
    Svgd,
}
