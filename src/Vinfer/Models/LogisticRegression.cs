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

    /// <summary>Rows of the bundled synthetic data set.</summary>
    public const int BundledRows = 1000;

    /// <summary>Covariates of the bundled synthetic data set.</summary>
    public const int BundledCovariates = 5;

    /// <summary>
    /// A synthetic data set generated from the model itself with a fixed seed (N = 1000, D = 5, standard normal
    /// covariates, alpha = 0.5, beta_d = (−1)^d·(1 − d/D)), so the model can be tried without a data file.
    /// </summary>
    public override StanData? BundledData => Synthetic.Value;

    private static readonly Lazy<StanData> Synthetic = new(() =>
    {
        var rng = new System.Random(20261130);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var x = new double[BundledRows, BundledCovariates];
        var y = new int[BundledRows];
        for (int n = 0; n < BundledRows; n++)
        {
            double eta = 0.5;
            for (int d = 0; d < BundledCovariates; d++)
            {
                x[n, d] = Gaussian();
                eta += x[n, d] * (d % 2 == 0 ? 1 : -1) * (1 - (double)d / BundledCovariates);
            }
            y[n] = rng.NextDouble() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
        }
        return StanData.FromValues([new("N", BundledRows), new("D", BundledCovariates), new("X", x), new("y", y)], "logistic regression synthetic data (bundled)");
    });

    /// <inheritdoc/>
    protected override void CheckResponse(StanData data, Tensor y) => ModelData.Binary(data, "y", y);

    /// <inheritdoc/>
    protected override Tensor LogLikelihood(Tensor x, Tensor y, Tensor alpha, Tensor betaColumns) => Glm.BernoulliLogit(x, y, alpha, betaColumns);
}
