using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Modeling;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>
/// posteriordb <c>garch-garch11</c>: GARCH(1,1) with a flat prior on {α₀ &gt; 0, 0 &lt; α₁ &lt; 1, 0 &lt; β₁ &lt; 1 − α₁}.
/// β₁'s bound depends on α₁, so β₁ is written as β₁ = (1 − α₁)·β₁_unit with β₁_unit in (0, 1) a parameter (its
/// logistic transform is the site's bijector) and the Jacobian log(1 − α₁) of the scaling added to the density:
/// together, Stan's transform for a bound that depends on another parameter. β₁ itself is recorded.
/// </summary>
public sealed class Garch11 : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "garch-garch11";

    /// <inheritdoc />
    public override string Description => "posteriordb garch-garch11: GARCH(1,1) volatility model, flat prior, beta1 < 1 - alpha1.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int t = data.GetInt("T", 1);
        var y = Vector(data, "y", t);
        double sigma1 = data.GetReal("sigma1");
        if (!(sigma1 > 0)) throw new DataFormatException($"{data.Source}: field 'sigma1' must be positive, got {DataFormatException.FormatNumber(sigma1)}.");
        return () =>
        {
            var mu = Parameter("mu", Constraints.Real);
            var alpha0 = Parameter("alpha0", Constraints.Positive);
            var alpha1 = Parameter("alpha1", Constraints.UnitInterval);
            var beta1Unit = Parameter("beta1_unit", Constraints.UnitInterval);
            var oneMinusAlpha1 = 1.0 - alpha1;
            var beta1 = Primitives.Deterministic("beta1", oneMinusAlpha1 * beta1Unit);
            var variance = (alpha0 * 0.0) + sigma1 * sigma1;
            var r = y[0] - mu;
            var lp = -0.5 * variance.Log() - r.Square() / (2.0 * variance);
            for (int i = 1; i < t; i++)
            {
                variance = alpha0 + alpha1 * r.Square() + beta1 * variance;
                r = y[i] - mu;
                lp = lp - 0.5 * variance.Log() - r.Square() / (2.0 * variance);
            }
            Target(lp + oneMinusAlpha1.Log());
        };
    }
}
