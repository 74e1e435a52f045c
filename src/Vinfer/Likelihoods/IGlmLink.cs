using System.Runtime.Intrinsics;

namespace Vinfer.Likelihoods;

/// <summary>
/// The per-observation part of a GLM log-likelihood as a function of the linear predictor η: the term ℓ(y, η) and its
/// derivative r = ∂ℓ/∂η, on a vector of 8 predictors and on one. Implemented by small structs so that
/// <see cref="GlmKernel{TLink}"/> is specialized (and the calls inlined) per link.
/// </summary>
internal interface IGlmLink
{
    /// <summary>ℓ(y, η) and ∂ℓ/∂η for 8 observations.</summary>
    static abstract void Terms(Vector512<double> eta, Vector512<double> y, out Vector512<double> ll, out Vector512<double> r);

    /// <summary>ℓ(y, η) and ∂ℓ/∂η for one observation (the same formulas as the vector form).</summary>
    static abstract void Terms(double eta, double y, out double ll, out double r);
}
