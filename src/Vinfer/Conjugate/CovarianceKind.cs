namespace Vinfer.Conjugate;

/// <summary>The covariance structure of a Gaussian mixture's components (scikit-learn's covariance_type).</summary>
public enum CovarianceKind
{
    /// <summary>A full covariance per component, with a Normal–Wishart prior.</summary>
    Full,

    /// <summary>A diagonal covariance per component, with a Normal–Gamma prior per dimension.</summary>
    Diagonal,
}
