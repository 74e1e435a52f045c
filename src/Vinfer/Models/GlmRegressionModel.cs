using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Models;

/// <summary>
/// A regression on data {N, D, X (N×D), y} with alpha ~ normal(0, 5), beta[d] ~ normal(0, 2.5) and a fused GLM
/// likelihood entered as a factor, so all particles go through one pass over X. Subclasses give the likelihood and
/// check the response.
/// </summary>
public abstract class GlmRegressionModel : BuiltInModel
{
    /// <summary>Regression data from the table's columns, y the response; made in place, so the table is emptied (<see cref="CsvTable.MoveToRegressionData"/>).</summary>
    public override StanData FromTable(CsvTable table) => table.MoveToRegressionData("y");

    /// <inheritdoc/>
    public override IReadOnlyList<string> DataFields => ["N", "D", "X[N,D]", "y[N]"];

    /// <inheritdoc/>
    public override Action Bind(StanData data)
    {
        var (_, d, x, y) = ModelData.Regression(data);
        CheckResponse(data, y);
        return () => Program(x, y, d);
    }

    /// <summary>Throws naming the field when the response is outside the likelihood's support.</summary>
    protected abstract void CheckResponse(StanData data, Tensor y);

    /// <summary>The log-likelihood of y given X, alpha ([] or [S]) and beta as columns ([D] or [D, S]).</summary>
    protected abstract Tensor LogLikelihood(Tensor x, Tensor y, Tensor alpha, Tensor betaColumns);

    /// <summary>The model program.</summary>
    public void Program(Tensor x, Tensor y, int d)
    {
        var alpha = Sample("alpha", new Normal(0.0, 5.0));
        var beta = Sample("beta", new Normal(0.0, 2.5).Expand(d).ToEvent(1));
        // beta is [D] (one draw) or [S, D] (particles): the GLM kernel takes its columns.
        Factor("y", LogLikelihood(x, y, alpha, beta.Rank == 1 ? beta : beta.MT));
    }
}
