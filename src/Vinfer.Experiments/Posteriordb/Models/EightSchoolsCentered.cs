using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;

using Vinfer.Models;

using Vinfer.Experiments.Posteriordb;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>eight_schools-eight_schools_centered</c>: the centred hierarchical model (a funnel).</summary>
public sealed class EightSchoolsCentered : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "eight_schools-eight_schools_centered";

    /// <inheritdoc />
    public override string Description => "posteriordb eight_schools-eight_schools_centered: eight schools, centred parameterisation (funnel).";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int j = data.GetInt("J", 1);
        var y = data.GetVector("y", j);
        var sigma = Tensor.FromArray(PositiveVector(data, "sigma", j), j);
        return () =>
        {
            var theta = Parameter("theta", Constraints.Real, j);
            var mu = Parameter("mu", Constraints.Real);
            var tau = Parameter("tau", Constraints.Positive);
            Target(LogNormalKernel(mu, 0, 5) + LogHalfCauchy(tau, 5)
                   - ((theta - Col(mu)) / Col(tau)).Square().Sum(-1) * 0.5 - j * tau.Log()
                   - ((y - theta) / sigma).Square().Sum(-1) * 0.5);
        };
    }
}
