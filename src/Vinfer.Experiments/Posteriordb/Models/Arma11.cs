using Vinfer.Data;
using Vinfer.Distributions;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>arma-arma11</c>: ARMA(1,1) through its one-step prediction errors (a recursion in θ).</summary>
public sealed class Arma11 : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "arma-arma11";

    /// <inheritdoc />
    public override string Description => "posteriordb arma-arma11: ARMA(1,1) time-series model on a simulated series.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int t = data.GetInt("T", 1);
        var y = Vector(data, "y", t);
        return () =>
        {
            var mu = Parameter("mu", Constraints.Real);
            var phi = Parameter("phi", Constraints.Real);
            var theta = Parameter("theta", Constraints.Real);
            var sigma = Parameter("sigma", Constraints.Positive);
            var err = y[0] - (mu + phi * mu);
            var sumSquares = err.Square();
            for (int i = 1; i < t; i++)
            {
                err = y[i] - (mu + phi * y[i - 1] + theta * err);
                sumSquares = sumSquares + err.Square();
            }
            Target(LogNormalKernel(mu, 0, 10) + LogNormalKernel(phi, 0, 2) + LogNormalKernel(theta, 0, 2) + LogHalfCauchy(sigma, 2.5)
                   - t * sigma.Log() - sumSquares / (2.0 * sigma.Square()));
        };
    }
}
