using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>arK-arK</c>: AR(K) regression of y[t] on its K lags (Normal(0, 10) priors, HalfCauchy(0, 2.5) on σ).</summary>
public sealed class ArK : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "arK-arK";

    /// <inheritdoc />
    public override string Description => "posteriordb arK-arK: autoregressive model of order K on a simulated series.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int k = data.GetInt("K", 1);
        int t = data.GetInt("T", k + 1);
        var y = Vector(data, "y", t);
        int n = t - k;
        var lags = new double[k][];
        for (int j = 0; j < k; j++)
        {
            lags[j] = new double[n];
            for (int i = 0; i < n; i++) lags[j][i] = y[k + i - (j + 1)];
        }
        var lagsT = ColumnsTransposed(lags);
        var response = Tensor.FromArray(y.AsSpan(k), n);
        return () =>
        {
            var alpha = Parameter("alpha", Constraints.Real);
            var beta = Parameter("beta", Constraints.Real, k);
            var sigma = Parameter("sigma", Constraints.Positive);
            var residuals = response - Col(alpha) - beta.MatMul(lagsT);
            Target(LogNormalKernel(alpha, 0, 10) + LogNormalKernel(beta, 0, 10).Sum(-1) + LogHalfCauchy(sigma, 2.5)
                   + GaussianLogLikelihood(residuals, sigma));
        };
    }
}
