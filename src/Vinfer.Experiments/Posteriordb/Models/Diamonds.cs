using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>diamonds-diamonds</c>: brms linear regression on 24 centred, collinear predictors.</summary>
public sealed class Diamonds : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "diamonds-diamonds";

    /// <inheritdoc />
    public override string Description => "posteriordb diamonds-diamonds: linear regression with 24 highly collinear predictors (N = 5000).";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        int k = data.GetInt("K", 2);
        var x = data.GetMatrix("X", n, k).Span;
        var y = data.GetVector("Y", n);
        if (data.Contains("prior_only") && data.GetInt("prior_only", 0, 1) == 1)
            throw new DataFormatException($"{data.Source}: field 'prior_only' = 1 is not supported by diamonds-diamonds (the reference is for the posterior).");
        var columns = new double[k - 1][];
        for (int j = 1; j < k; j++)
        {
            var c = new double[n];
            double mean = 0;
            for (int i = 0; i < n; i++) { c[i] = x[i * k + j]; mean += c[i]; }
            mean /= n;
            for (int i = 0; i < n; i++) c[i] -= mean;
            columns[j - 1] = c;
        }
        var xcT = ColumnsTransposed(columns);
        return () =>
        {
            var b = Parameter("b", Constraints.Real, k - 1);
            var intercept = Parameter("Intercept", Constraints.Real);
            var sigma = Parameter("sigma", Constraints.Positive);
            var residuals = y - Col(intercept) - b.MatMul(xcT);
            Target(-0.5 * b.Square().Sum(-1) - 2.0 * ((intercept - 8.0) / 10.0).Square().Div3Log1p() - 2.0 * (sigma / 10.0).Square().Div3Log1p()
                   + GaussianLogLikelihood(residuals, sigma));
        };
    }
}

internal static class DiamondsTerms
{
    /// <summary>log(1 + z²/3) given z².</summary>
    internal static Tensor Div3Log1p(this Tensor squared) => (squared / 3.0).Log1p();
}
