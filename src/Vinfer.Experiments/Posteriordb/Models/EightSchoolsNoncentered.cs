using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;

using Vinfer.Models;

using Vinfer.Experiments.Posteriordb;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>eight_schools-eight_schools_noncentered</c>: θ = μ + τ·θ̃ with θ̃ ~ Normal(0, 1); θ is recorded.</summary>
public sealed class EightSchoolsNoncentered : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "eight_schools-eight_schools_noncentered";

    /// <inheritdoc />
    public override string Description => "posteriordb eight_schools-eight_schools_noncentered: eight schools, non-centred parameterisation.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int j = data.GetInt("J", 1);
        var y = data.GetVector("y", j);
        var sigma = Tensor.FromArray(PositiveVector(data, "sigma", j), j);
        return () =>
        {
            var thetaTrans = Parameter("theta_trans", Constraints.Real, j);
            var mu = Parameter("mu", Constraints.Real);
            var tau = Parameter("tau", Constraints.Positive);
            var theta = Primitives.Deterministic("theta", Col(mu) + Col(tau) * thetaTrans);
            Target(-0.5 * thetaTrans.Square().Sum(-1) + LogNormalKernel(mu, 0, 5) + LogHalfCauchy(tau, 5)
                   - ((y - theta) / sigma).Square().Sum(-1) * 0.5);
        };
    }
}
