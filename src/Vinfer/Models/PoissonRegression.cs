using Vinfer.Data;
using Vinfer.Likelihoods;
using Vinfer.Tensors;

namespace Vinfer.Models;

/// <summary>
/// Bayesian Poisson regression with the log link: alpha ~ normal(0, 5), beta[d] ~ normal(0, 2.5),
/// y[n] ~ Poisson(exp(alpha + X[n]·beta)), through the fused GLM kernel (<see cref="Glm.PoissonLog"/>, as Stan's
/// poisson_log_glm). Data {N, D, X (N×D), y (N, counts)}.
/// </summary>
public sealed class PoissonRegression : GlmRegressionModel
{
    /// <inheritdoc/>
    public override string Name => "poisson_regression";

    /// <inheritdoc/>
    public override string Description => "Poisson regression (log link) with normal priors (alpha, beta[D]); fused GLM likelihood.";

    /// <inheritdoc/>
    protected override void CheckResponse(StanData data, Tensor y) => ModelData.Counts(data, "y", y);

    /// <inheritdoc/>
    protected override Tensor LogLikelihood(Tensor x, Tensor y, Tensor alpha, Tensor betaColumns) => Glm.PoissonLog(x, y, alpha, betaColumns);
}
