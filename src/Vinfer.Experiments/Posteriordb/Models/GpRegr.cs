using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>gp_pois_regr-gp_regr</c>: GP regression, marginal likelihood y ~ MVN(0, K), σ added to K's diagonal as a variance.</summary>
public sealed class GpRegr : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "gp_pois_regr-gp_regr";

    /// <inheritdoc />
    public override string Description => "posteriordb gp_pois_regr-gp_regr: Gaussian-process regression with 3 hyper-parameters.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        var x = Vector(data, "x", n);
        var y = data.GetVector("y", n).Reshape(n, 1);
        var halfNegSq = GaussianProcessKernel.HalfNegativeSquaredDistances(x);
        return () =>
        {
            var rho = Parameter("rho", Constraints.Positive);
            var alpha = Parameter("alpha", Constraints.Positive);
            var sigma = Parameter("sigma", Constraints.Positive);
            var l = GaussianProcessKernel.Covariance(halfNegSq, alpha, rho, sigma).Cholesky();
            var rhs = l.Rank == 2 ? y : y.Expand([.. l.Shape[..^2], n, 1]);
            var z = Tensor.TriangularSolve(l, rhs, lower: true);
            var halfLogDet = l.Diagonal().Log().Sum(-1);
            Target(24.0 * rho.Log() - 4.0 * rho - alpha.Square() / 8.0 - sigma.Square() / 2.0
                   - halfLogDet - 0.5 * z.Square().Sum(-1).Sum(-1));
        };
    }
}
