using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>mesquite-logmesquite</c>: log-log regression of leaf weight on size measurements (flat priors).</summary>
public sealed class LogMesquite : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "mesquite-logmesquite";

    /// <inheritdoc />
    public override string Description => "posteriordb mesquite-logmesquite: log-log linear regression, 46 bushes, flat priors.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        double[] Log(string field) => PositiveVector(data, field, n).Select(v => Math.Log(v)).ToArray();
        var response = Tensor.FromArray(Log("weight"), n);
        var designT = ColumnsTransposed(Enumerable.Repeat(1.0, n).ToArray(), Log("diam1"), Log("diam2"), Log("canopy_height"),
            Log("total_height"), Log("density"), Vector(data, "group", n));
        return () =>
        {
            var beta = Parameter("beta", Constraints.Real, 7);
            var sigma = Parameter("sigma", Constraints.Positive);
            Target(GaussianLogLikelihood(response - beta.MatMul(designT), sigma));
        };
    }
}
