using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Models;

/// <summary>
/// Bayesian linear regression: alpha ~ normal(0, 5), beta[d] ~ normal(0, 2.5), sigma ~ half-normal(0, 5),
/// y[n] ~ normal(alpha + X[n]·beta, sigma). Data {N, D, X (N×D), y (N)}.
/// </summary>
public sealed class LinearRegression : BuiltInModel
{
    /// <inheritdoc/>
    public override string Name => "linear_regression";

    /// <inheritdoc/>
    public override string Description => "Linear regression with normal priors (alpha, beta[D]) and a half-normal noise scale (sigma).";

    /// <summary>Regression data from the table's columns, y the response; made in place, so the table is emptied (<see cref="CsvTable.MoveToRegressionData"/>).</summary>
    public override StanData FromTable(CsvTable table) => table.MoveToRegressionData("y");

    /// <inheritdoc/>
    public override IReadOnlyList<string> DataFields => ["N", "D", "X[N,D]", "y[N]"];

    /// <inheritdoc/>
    public override Action Bind(StanData data)
    {
        var (_, d, x, y) = ModelData.Regression(data);
        Tensor xt;
        using (GradMode.Disable()) xt = x.MT;
        return () => Program(xt, y, d);
    }

    /// <summary>The model program, given Xᵀ (D×N) and y.</summary>
    public static void Program(Tensor xTransposed, Tensor y, int d)
    {
        var alpha = Sample("alpha", new Normal(0.0, 5.0));
        var beta = Sample("beta", new Normal(0.0, 2.5).Expand(d).ToEvent(1));
        var sigma = Sample("sigma", new HalfNormal(5.0));
        using (Plate("data", y.Count))
        {
            // beta is [D] or [S, 1, D] (particles, then the data plate's slot); the predictor is [N] or [S, N].
            var eta = LinearPredictor.Compute(xTransposed, beta) + alpha;
            Sample("y", new Normal(eta, sigma), y);
        }
    }
}
