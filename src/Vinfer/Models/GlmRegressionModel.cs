using Vinfer.Data;
using Vinfer.Distributed;
using Vinfer.Distributions;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Models;

/// <summary>
/// A regression on data {N, D, X (N×D), y} with alpha ~ normal(0, 5), beta[d] ~ normal(0, 2.5) and a fused GLM
/// likelihood entered as a factor, so all particles go through one pass over X. Subclasses give the likelihood and
/// check the response.
/// </summary>
public abstract class GlmRegressionModel : BuiltInModel, IDataParallelModel
{
    /// <inheritdoc/>
    public override StanData FromTable(CsvTable table) => table.ToRegressionData("y");

    /// <inheritdoc/>
    public override IReadOnlyList<string> DataFields => ["N", "D", "X[N,D]", "y[N]"];

    /// <inheritdoc/>
    public override Action Bind(StanData data)
    {
        var (_, d, x, _, y) = ModelData.Regression(data);
        CheckResponse(data, y);
        return () => Program(x, y, d);
    }

    /// <inheritdoc/>
    public string RowCountField => "N";

    /// <inheritdoc/>
    public Action BindShard(StanData shard, RowRange rows, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        var (n, d, x, _, y) = ModelData.Regression(shard);
        if (n != rows.Count) throw new DataFormatException($"{shard.Source}: field 'N' is {n}, but this process owns {rows.Count} rows.");
        CheckResponse(shard, y);
        return () => Program(x, y, d, communicator);
    }

    /// <summary>Throws naming the field when the response is outside the likelihood's support.</summary>
    protected abstract void CheckResponse(StanData data, Tensor y);

    /// <summary>The log-likelihood of y given X, alpha ([] or [S]) and beta as columns ([D] or [D, S]).</summary>
    protected abstract Tensor LogLikelihood(Tensor x, Tensor y, Tensor alpha, Tensor betaColumns);

    /// <summary>The model program.</summary>
    public void Program(Tensor x, Tensor y, int d) => Program(x, y, d, SingleProcessCommunicator.Instance);

    /// <summary>The model program on this process's rows <paramref name="x"/>, <paramref name="y"/> of a data-parallel fit.</summary>
    public void Program(Tensor x, Tensor y, int d, ICommunicator communicator)
    {
        var alpha = Sample("alpha", new Normal(0.0, 5.0));
        var beta = Sample("beta", new Normal(0.0, 2.5).Expand(d).ToEvent(1));
        // beta is [D] (one draw) or [S, D] (particles): the GLM kernel takes its columns.
        var columns = beta.Rank == 1 ? beta : beta.MT;
        var local = LogLikelihood(x, y, DataParallel.Replicate(alpha, communicator), DataParallel.Replicate(columns, communicator));
        Factor("y", DataParallel.SumOverRanks(local, communicator));
    }
}
