using Vinfer.Data;
using Vinfer.Models;
using Vinfer.Random;

namespace Vinfer.Experiments.Targets;

/// <summary>
/// A synthetic posterior with an exact sampler, written as a Vinfer model without data: what flow guides and SVGD
/// are checked against (means, standard deviations and mode weights of exact draws versus the fit's draws). The
/// exact draws come in the column order of the fit's draws (the model's latent sites, Stan names).
/// </summary>
public abstract class SamplingTarget : BuiltInModel
{
    /// <summary>Number of scalar latent coordinates.</summary>
    public abstract int Dimension { get; }

    /// <summary>Exact independent draws, row-major [count, <see cref="Dimension"/>], deterministic for <paramref name="key"/>.</summary>
    public abstract double[] DrawExact(RandomKey key, int count);

    /// <summary>
    /// The exact means and standard deviations of the coordinates in closed form, or null when only exact draws are
    /// known. The study scores against these when present: the funnel's xᵢ have kurtosis ≈ 24,000, so even 100,000
    /// exact draws give an sd that is off by about 25 % (one sd of its sampling error), which the fit would be blamed for.
    /// </summary>
    public virtual (double[] Mean, double[] Sd)? ExactMoments => null;

    /// <summary>The model program (no data).</summary>
    public abstract void Program();

    /// <summary>No data: the bundled data is empty.</summary>
    public override StanData? BundledData => StanData.FromValues([], Name);

    /// <inheritdoc/>
    public override Action Bind(StanData data) => Program;
}
