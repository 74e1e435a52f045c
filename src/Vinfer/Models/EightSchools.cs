using Vinfer.Data;
using Vinfer.Distributed;
using Vinfer.Distributions;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Models;

/// <summary>
/// Eight schools, non-centred (Rubin 1981; Gelman et al., BDA3 §5.5; posteriordb <c>eight_schools_noncentered</c>):
/// mu ~ normal(0, 5), tau ~ half-Cauchy(0, 5), theta_trans[j] ~ normal(0, 1), theta = mu + tau·theta_trans,
/// y[j] ~ normal(theta[j], sigma[j]). Data {J, y, sigma}; the classic data are bundled.
/// </summary>
public sealed class EightSchools : BuiltInModel, IDataParallelModel
{
    /// <summary>The coaching effects of the classic study.</summary>
    public static readonly double[] ClassicY = [28, 8, -3, 7, -1, 1, 18, 12];

    /// <summary>Their standard errors.</summary>
    public static readonly double[] ClassicSigma = [15, 10, 16, 11, 9, 11, 10, 18];

    /// <summary>The classic eight-schools data as Stan data.</summary>
    public static StanData ClassicData => StanData.FromValues(
        [new("J", 8), new("y", ClassicY), new("sigma", ClassicSigma)], "eight schools (bundled)");

    /// <inheritdoc/>
    public override string Name => "eight_schools";

    /// <inheritdoc/>
    public override string Description => "Hierarchical normal model of eight schools, non-centred (mu, tau, theta_trans[J]; theta = mu + tau·theta_trans).";

    /// <inheritdoc/>
    public override StanData? BundledData => ClassicData;

    /// <inheritdoc/>
    public override StanData FromTable(CsvTable table) => EightSchools.TableData(table);

    /// <inheritdoc/>
    public override Action Bind(StanData data)
    {
        var (y, sigma) = Read(data);
        return () => Program(y, sigma);
    }

    /// <inheritdoc/>
    public string RowCountField => "J";

    /// <inheritdoc/>
    public Action BindShard(StanData shard, RowRange rows, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        var (y, sigma) = Read(shard);
        if (y.Count != rows.Count) throw new DataFormatException($"{shard.Source}: field 'J' is {y.Count}, but this process owns {rows.Count} schools.");
        return () => Program(y, sigma, rows, communicator);
    }

    /// <summary>Eight-schools data from a table with columns y and sigma, one row per school.</summary>
    internal static StanData TableData(CsvTable table)
    {
        foreach (var c in new[] { "y", "sigma" })
            if (!table.Contains(c)) throw new DataFormatException($"{table.Source}: missing column '{c}' (columns: {string.Join(", ", table.ColumnNames)})");
        return StanData.FromValues([new("J", table.RowCount), new("y", table.GetColumn("y")), new("sigma", table.GetColumn("sigma"))], table.Source);
    }

    /// <summary>Reads and checks {J, y, sigma}.</summary>
    internal static (Tensor Y, Tensor Sigma) Read(StanData data)
    {
        int j = data.GetInt("J", 1);
        var y = data.GetVector("y", j);
        var sigma = ModelData.Positive(data, "sigma", data.GetVector("sigma", j));
        return (y, sigma);
    }

    /// <summary>The model program.</summary>
    public static void Program(Tensor y, Tensor sigma)
    {
        var mu = Sample("mu", new Normal(0.0, 5.0));
        var tau = Sample("tau", new HalfCauchy(5.0));
        using (Plate("J", y.Count))
        {
            var thetaTrans = Sample("theta_trans", new Normal(0.0, 1.0));
            var theta = Deterministic("theta", mu + tau * thetaTrans);
            Sample("y", new Normal(theta, sigma), y);
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> LocalSites => ["theta_trans", "theta"];

    /// <summary>
    /// The model program on this process's <paramref name="rows"/> (schools) of a data-parallel fit: mu and tau are
    /// global (drawn on every process from the same stream); theta_trans is drawn for the own schools only
    /// (<see cref="RowBlockNormal"/>, keyed by the school's global index) and its prior, like the own schools'
    /// likelihood, is summed over the processes. So a <see cref="Guides.BlockFamily"/> guide holds the own schools'
    /// parameters only, and the fit equals the single-process fit of the same program on all schools
    /// (<see cref="RowRange.All"/>, <see cref="SingleProcessCommunicator"/>).
    /// </summary>
    public static void Program(Tensor y, Tensor sigma, RowRange rows, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        var mu = Sample("mu", new Normal(0.0, 5.0));
        var tau = Sample("tau", new HalfCauchy(5.0));
        var thetaTrans = Sample("theta_trans", new RowBlockNormal(Tensor.Scalar(0.0), Tensor.Scalar(1.0), rows, communicator));
        // the global draws enter the own schools' terms: their gradient from those terms is summed over the processes
        // (no plate: particles sit at dim −1 for mu and tau, and before the schools' dimension for theta_trans)
        var theta = Deterministic("theta", DataParallel.Replicate(mu, communicator).Unsqueeze(-1) + DataParallel.Replicate(tau, communicator).Unsqueeze(-1) * thetaTrans);
        Factor("y", DataParallel.SumOverRanks(new Normal(theta, sigma).LogProb(y).Sum(-1), communicator));
    }
}
