using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>
/// posteriordb <c>hmm_example-hmm_example</c>: two-state HMM with unit-variance Gaussian emissions, the states summed
/// out by the forward algorithm in log space (Rabiner 1989, eq. 19–21, with log-sum-exp).
/// </summary>
public sealed class HmmExample : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "hmm_example-hmm_example";

    /// <inheritdoc />
    public override string Description => "posteriordb hmm_example-hmm_example: 2-state Gaussian HMM, forward algorithm.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        int k = data.GetInt("K", 2, 2);
        var y = Vector(data, "y", n);
        return () =>
        {
            var theta1 = Parameter("theta1", Constraints.Simplex, k);
            var theta2 = Parameter("theta2", Constraints.Simplex, k);
            var mu = Parameter("mu", Constraints.PositiveOrdered, k);
            var logGamma = Tensor.Stack(theta1.Rank - 1, theta1.Log(), theta2.Log()); // [..., from j, to k]
            var g = -0.5 * (y[0] - mu).Square();
            for (int t = 1; t < n; t++)
                g = (g.Unsqueeze(-1) + logGamma).LogSumExp(-2) - 0.5 * (y[t] - mu).Square();
            Target(LogNormalKernel(Entry(mu, 0), 3, 1) + LogNormalKernel(Entry(mu, 1), 10, 1) + g.LogSumExp(-1));
        };
    }
}
