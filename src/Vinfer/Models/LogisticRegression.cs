using Vinfer.Data;
using Vinfer.Likelihoods;
using Vinfer.Tensors;

namespace Vinfer.Models;

/// <summary>
/// Bayesian logistic regression: alpha ~ normal(0, 5), beta[d] ~ normal(0, 2.5), y[n] ~ Bernoulli(logit⁻¹(alpha +
/// X[n]·beta)), through the fused one-pass GLM kernel (<see cref="Glm.BernoulliLogit"/>, as Stan's
/// bernoulli_logit_glm). Data {N, D, X (N×D), y (N, 0/1)}.
/// </summary>
public sealed class LogisticRegression : GlmRegressionModel
{
    /// <inheritdoc/>
    public override string Name => "logistic_regression";

    /// <inheritdoc/>
    public override string Description => "Logistic regression with normal priors (alpha, beta[D]); fused GLM likelihood.";

    /// <inheritdoc/>
    protected override void CheckResponse(StanData data, Tensor y) => ModelData.Binary(data, "y", y);

    /// <inheritdoc/>
    protected override Tensor LogLikelihood(Tensor x, Tensor y, Tensor alpha, Tensor betaColumns) => Glm.BernoulliLogit(x, y, alpha, betaColumns);
}
