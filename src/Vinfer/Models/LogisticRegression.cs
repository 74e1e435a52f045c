using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Likelihoods;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Models;

/// <summary>
/// Bayesian logistic regression: alpha ~ normal(0, 5), beta[d] ~ normal(0, 2.5), y[n] ~ Bernoulli(logit⁻¹(alpha +
/// X[n]·beta)). The likelihood is the fused one-pass GLM kernel (<see cref="Glm.BernoulliLogit"/>, as Stan's
/// bernoulli_logit_glm), entered as a factor; all particles go through it at once. Data {N, D, X (N×D), y (N, 0/1)}.
/// </summary>
public sealed class LogisticRegression : BuiltInModel
{
    /// <inheritdoc/>
    public override string Name => "logistic_regression";

    /// <inheritdoc/>
    public override string Description => "Logistic regression with normal priors (alpha, beta[D]); fused GLM likelihood.";

    /// <inheritdoc/>
    public override StanData FromTable(CsvTable table) => table.ToRegressionData("y");

    /// <inheritdoc/>
    public override Action Bind(StanData data)
    {
        var (_, d, x, _, y) = ModelData.Regression(data);
        ModelData.Binary(data, "y", y);
        return () => Program(x, y, d);
    }

    /// <summary>The model program.</summary>
    public static void Program(Tensor x, Tensor y, int d)
    {
        var alpha = Sample("alpha", new Normal(0.0, 5.0));
        var beta = Sample("beta", new Normal(0.0, 2.5).Expand(d).ToEvent(1));
        // beta is [D] (one draw) or [S, D] (particles): the GLM kernel takes its columns.
        Factor("y", beta.Rank == 1 ? Glm.BernoulliLogit(x, y, alpha, beta) : Glm.BernoulliLogit(x, y, alpha, beta.MT));
    }
}
