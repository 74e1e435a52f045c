using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>gp_pois_regr-gp_pois_regr</c>: Poisson counts with a whitened GP log-rate f = L·f̃ (recorded as f).</summary>
public sealed class GpPoisRegr : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "gp_pois_regr-gp_pois_regr";

    /// <inheritdoc />
    public override string Description => "posteriordb gp_pois_regr-gp_pois_regr: Poisson regression with a latent GP log-rate (non-centred).";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        var x = Vector(data, "x", n);
        var k = data.GetIntArray("k", n);
        for (int i = 0; i < n; i++)
            if (k[i] < 0) throw new DataFormatException($"{data.Source}: field 'k' must hold counts ≥ 0, but k[{i + 1}] = {k[i]}.");
        var counts = Tensor.FromArray(k.Select(v => (double)v).ToArray(), n);
        var halfNegSq = GaussianProcessKernel.HalfNegativeSquaredDistances(x);
        return () =>
        {
            var rho = Parameter("rho", Constraints.Positive);
            var alpha = Parameter("alpha", Constraints.Positive);
            var fTilde = Parameter("f_tilde", Constraints.Real, n);
            var c = GaussianProcessKernel.Covariance(halfNegSq, alpha, rho, Tensor.Scalar(1e-10));
            var f = Primitives.Deterministic("f", c.Cholesky().MatMul(fTilde.Unsqueeze(-1)).Squeeze(-1));
            Target(24.0 * rho.Log() - 4.0 * rho - alpha.Square() / 8.0 - 0.5 * fTilde.Square().Sum(-1)
                   + (counts * f - f.Exp()).Sum(-1));
        };
    }
}
