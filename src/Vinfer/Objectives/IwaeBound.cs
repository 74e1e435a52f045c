namespace Vinfer.Objectives;

/// <summary>
/// The importance-weighted bound (Burda, Grosse and Salakhutdinov, "Importance weighted autoencoders", ICLR 2016):
/// log (1/K) Σ_k w_k with w_k = p(x, z_k)/q(z_k), averaged over S independent estimates. K = 1 is the ELBO; the bound
/// increases with K towards log p(x) (Burda et al., Theorem 1). With a local plate the K samples are drawn per entry and
/// the bound is the sum over entries of per-entry log-mean-exps (the per-point IWAE of a VAE).
/// Limits: the reparameterized gradient's signal-to-noise ratio for the guide falls like 1/√K (Rainforth et al. 2018);
/// use <see cref="GradientEstimator.DoublyReparameterized"/> (Tucker et al. 2019), which needs a reparameterizable guide.
/// Sticking-the-landing is biased for K &gt; 1.
/// </summary>
public sealed class IwaeBound : ImportanceWeightedObjective
{
    /// <summary>An IWAE bound with K importance samples per estimate and S estimates per evaluation.</summary>
    public IwaeBound(int importanceSamples, int estimates = 1, GradientEstimator estimator = GradientEstimator.Reparameterized, string? localPlate = null)
        : base(nameof(IwaeBound), 0.0, importanceSamples, estimates, estimator, localPlate, isUpperBound: false) { }
}
