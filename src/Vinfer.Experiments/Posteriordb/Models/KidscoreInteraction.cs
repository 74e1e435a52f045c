using Vinfer.Data;
using Vinfer.Distributions;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>kidiq-kidscore_interaction</c>: kid score on mom_hs, mom_iq and their interaction (uncentred, flat β).</summary>
public sealed class KidscoreInteraction : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "kidiq-kidscore_interaction";

    /// <inheritdoc />
    public override string Description => "posteriordb kidiq-kidscore_interaction: linear regression with an interaction, uncentred predictors.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        var score = data.GetVector("kid_score", n);
        var hs = Vector(data, "mom_hs", n);
        var iq = Vector(data, "mom_iq", n);
        var designT = ColumnsTransposed(Enumerable.Repeat(1.0, n).ToArray(), hs, iq, hs.Zip(iq, (h, q) => h * q).ToArray());
        return () =>
        {
            var beta = Parameter("beta", Constraints.Real, 4);
            var sigma = Parameter("sigma", Constraints.Positive);
            Target(LogHalfCauchy(sigma, 2.5) + GaussianLogLikelihood(score - beta.MatMul(designT), sigma));
        };
    }
}
