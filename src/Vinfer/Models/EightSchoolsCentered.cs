using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Models;

/// <summary>
/// Eight schools, centred (posteriordb <c>eight_schools_centered</c>): mu ~ normal(0, 5), tau ~ half-Cauchy(0, 5),
/// theta[j] ~ normal(mu, tau), y[j] ~ normal(theta[j], sigma[j]). The classic funnel: mean-field fits should report
/// a high k̂ here rather than look fine. Data {J, y, sigma}; the classic data are bundled.
/// </summary>
public sealed class EightSchoolsCentered : BuiltInModel
{
    /// <inheritdoc/>
    public override string Name => "eight_schools_centered";

    /// <inheritdoc/>
    public override string Description => "Hierarchical normal model of eight schools, centred (mu, tau, theta[J]): a funnel.";

    /// <inheritdoc/>
    public override StanData? BundledData => EightSchools.ClassicData;

    /// <inheritdoc/>
    public override StanData FromTable(CsvTable table) => EightSchools.TableData(table);

    /// <inheritdoc/>
    public override Action Bind(StanData data)
    {
        var (y, sigma) = EightSchools.Read(data);
        return () => Program(y, sigma);
    }

    /// <summary>The model program.</summary>
    public static void Program(Tensor y, Tensor sigma)
    {
        var mu = Sample("mu", new Normal(0.0, 5.0));
        var tau = Sample("tau", new HalfCauchy(5.0));
        using (Plate("J", y.Count))
        {
            var theta = Sample("theta", new Normal(mu, tau));
            Sample("y", new Normal(theta, sigma), y);
        }
    }
}
