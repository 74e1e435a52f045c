using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Likelihoods;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Models;

/// <summary>
/// Bayesian Poisson regression with the log link: alpha ~ normal(0, 5), beta[d] ~ normal(0, 2.5),
/// y[n] ~ Poisson(exp(alpha + X[n]·beta)), through the fused GLM kernel (<see cref="Glm.PoissonLog"/>, as Stan's
/// poisson_log_glm). Data {N, D, X (N×D), y (N, counts)}.
/// </summary>
public sealed class PoissonRegression : BuiltInModel
{
    /// <inheritdoc/>
    public override string Name => "poisson_regression";

    /// <inheritdoc/>
    public override string Description => "Poisson regression (log link) with normal priors (alpha, beta[D]); fused GLM likelihood.";

    /// <inheritdoc/>
    public override StanData FromTable(CsvTable table) => table.ToRegressionData("y");

    /// <inheritdoc/>
    public override Action Bind(StanData data)
    {
        var (_, d, x, _, y) = ModelData.Regression(data);
        ModelData.Counts(data, "y", y);
        return () => Program(x, y, d);
    }

    /// <summary>The model program.</summary>
    public static void Program(Tensor x, Tensor y, int d)
    {
        var alpha = Sample("alpha", new Normal(0.0, 5.0));
        var beta = Sample("beta", new Normal(0.0, 2.5).Expand(d).ToEvent(1));
        Factor("y", beta.Rank == 1 ? Glm.PoissonLog(x, y, alpha, beta) : Glm.PoissonLog(x, y, alpha, beta.MT));
    }
}
