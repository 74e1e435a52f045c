using Vinfer.Data;
using Vinfer.Distributions;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>nes2000-nes</c>: party identification on ideology and demographics (flat priors), age as three dummies.</summary>
public sealed class Nes : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "nes2000-nes";

    /// <inheritdoc />
    public override string Description => "posteriordb nes2000-nes: linear regression of party identification, NES 2000.";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        var age = data.GetIntArray("age_discrete", n);
        double[] Dummy(int level) => age.Select(a => a == level ? 1.0 : 0.0).ToArray();
        var designT = ColumnsTransposed(Enumerable.Repeat(1.0, n).ToArray(), Vector(data, "real_ideo", n), Vector(data, "race_adj", n),
            Dummy(2), Dummy(3), Dummy(4), Vector(data, "educ1", n), Vector(data, "gender", n), Vector(data, "income", n));
        var response = data.GetVector("partyid7", n);
        return () =>
        {
            var beta = Parameter("beta", Constraints.Real, 9);
            var sigma = Parameter("sigma", Constraints.Positive);
            Target(GaussianLogLikelihood(response - beta.MatMul(designT), sigma));
        };
    }
}
