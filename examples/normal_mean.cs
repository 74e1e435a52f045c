// A user-written model for `vinfer fit examples/normal_mean.cs --data examples/normal_mean.json`:
// the mean of normal data with a known scale and a normal prior, whose posterior is known exactly:
//   mu ~ normal(m0, s0),  y[n] ~ normal(mu, sigma)  =>  mu | y ~ normal(m, s) with
//   1/s² = 1/s0² + N/sigma²,  m = s² (m0/s0² + sum(y)/sigma²).
using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Models;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

public sealed class NormalMean : BuiltInModel
{
    public override string Name => "normal_mean";

    public override string Description => "Mean of normal data with a known scale sigma and a normal(m0, s0) prior.";

    public override IReadOnlyList<string> DataFields => ["N", "y[N]", "sigma", "m0", "s0"];

    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        var y = data.GetVector("y", n);
        double sigma = data.GetReal("sigma"), m0 = data.GetReal("m0"), s0 = data.GetReal("s0");
        return () =>
        {
            var mu = Sample("mu", new Normal(m0, s0));
            using (Plate("data", n))
                Sample("y", new Normal(mu, Tensor.Scalar(sigma)), y);
        };
    }
}
