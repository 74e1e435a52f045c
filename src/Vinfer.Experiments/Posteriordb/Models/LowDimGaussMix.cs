using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>low_dim_gauss_mix-low_dim_gauss_mix</c>: two-component Gaussian mixture with ordered means (log-sum-exp likelihood).</summary>
public sealed class LowDimGaussMix : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "low_dim_gauss_mix-low_dim_gauss_mix";

    /// <inheritdoc />
    public override string Description => "posteriordb low_dim_gauss_mix-low_dim_gauss_mix: 2-component Gaussian mixture, ordered means.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        var y = data.GetVector("y", n);
        return () =>
        {
            var mu = Parameter("mu", Constraints.Ordered, 2);
            var sigma = Parameter("sigma", Constraints.Positive, 2);
            var theta = Parameter("theta", Constraints.UnitInterval);
            Tensor Component(int k, Tensor logWeight)
            {
                var s = Col(Entry(sigma, k));
                return Col(logWeight) - s.Log() - ((y - Col(Entry(mu, k))) / s).Square() * 0.5;
            }
            var mixture = Tensor.Stack(y.Rank + theta.Rank, Component(0, theta.Log()), Component(1, (1.0 - theta).Log())).LogSumExp(-1);
            Target(-(mu.Square().Sum(-1) + sigma.Square().Sum(-1)) / 8.0 + 4.0 * theta.Log() + 4.0 * (1.0 - theta).Log() + mixture.Sum(-1));
        };
    }
}
