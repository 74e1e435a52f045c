namespace Vinfer.StateSpace;

/// <summary>The outcome of fitting the AR(1)-plus-noise model with one of the EM-type algorithms.</summary>
/// <param name="Method">"em", "vem" or "structured".</param>
/// <param name="Parameters">The final θ.</param>
/// <param name="LogLikelihood">The exact log p_θ(Y) at the final θ.</param>
/// <param name="Elbo">max over the method's variational family of ELBO(θ, q) at the final θ (equal to the log-likelihood for EM).</param>
/// <param name="Iterations">Iterations performed.</param>
/// <param name="Converged">True when the objective's change fell below the tolerance before the iteration limit.</param>
public sealed record Ar1FitResult(string Method, Ar1NoiseModel Parameters, double LogLikelihood, double Elbo, int Iterations, bool Converged)
{
    /// <summary>The variational gap log p_θ(Y) − ELBO = the KL divergence from the best q in the family to the posterior.</summary>
    public double VariationalGap => LogLikelihood - Elbo;
}
