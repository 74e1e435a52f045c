using Vinfer.Data;
using Vinfer.Distributions;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>kilpisjarvi_mod-kilpisjarvi</c>: linear trend on a shifted year covariate (intercept and slope correlated −0.99999).</summary>
public sealed class Kilpisjarvi : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "kilpisjarvi_mod-kilpisjarvi";

    /// <inheritdoc />
    public override string Description => "posteriordb kilpisjarvi_mod-kilpisjarvi: linear trend of summer temperature, uncentred year.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        var x = data.GetVector("x", n);
        var y = data.GetVector("y", n);
        double muAlpha = data.GetReal("pmualpha"), sAlpha = data.GetReal("psalpha"), muBeta = data.GetReal("pmubeta"), sBeta = data.GetReal("psbeta");
        if (!(sAlpha > 0)) throw new DataFormatException($"{data.Source}: field 'psalpha' must be positive, got {DataFormatException.FormatNumber(sAlpha)}.");
        if (!(sBeta > 0)) throw new DataFormatException($"{data.Source}: field 'psbeta' must be positive, got {DataFormatException.FormatNumber(sBeta)}.");
        return () =>
        {
            var alpha = Parameter("alpha", Constraints.Real);
            var beta = Parameter("beta", Constraints.Real);
            var sigma = Parameter("sigma", Constraints.Positive);
            Target(LogNormalKernel(alpha, muAlpha, sAlpha) + LogNormalKernel(beta, muBeta, sBeta)
                   + GaussianLogLikelihood(y - Col(alpha) - Col(beta) * x, sigma));
        };
    }
}
