using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The gamma distribution with shape α (concentration) and rate β: density βᵅ xᵅ⁻¹ e^(−βx) / Γ(α). LogProb is one
/// fused pass; RSample differentiates through the draw by implicit reparameterization (Figurnov et al. 2018).
/// </summary>
public sealed class Gamma : Distribution
{
    /// <summary>Gamma(concentration, rate), both positive, broadcast.</summary>
    public Gamma(Tensor concentration, Tensor rate, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(Gamma), nameof(concentration), concentration, nameof(rate), rate), [], validateArgs)
    {
        Concentration = concentration; Rate = rate;
        CheckParameter(nameof(concentration), concentration, Constraints.Positive);
        CheckParameter(nameof(rate), rate, Constraints.Positive);
    }

    /// <summary>Gamma with scalar parameters.</summary>
    public Gamma(double concentration, double rate, bool? validateArgs = null) : this(Tensor.Scalar(concentration), Tensor.Scalar(rate), validateArgs) { }

    /// <summary>The shape α.</summary>
    public Tensor Concentration { get; }

    /// <summary>The rate β (inverse scale).</summary>
    public Tensor Rate { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Positive;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return FusedLogDensity.Apply<GammaLogDensityKernel>(value, Concentration, Rate, "Gamma.LogProb");
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var alpha = Concentration.Expand(ExtendedShape(sampleShape));
        return StandardGammaDraw.Draw(alpha, rng.NextKey()) / Rate;
    }

    /// <inheritdoc />
    public override Tensor Mean => (Concentration / Rate).Expand(BatchShape);

    /// <inheritdoc />
    public override Tensor Variance => (Concentration / Rate.Square()).Expand(BatchShape);

    /// <summary>α − log β + log Γ(α) + (1 − α)ψ(α).</summary>
    public override Tensor Entropy() =>
        (Concentration - Rate.Log() + Concentration.LogGamma() + (1.0 - Concentration) * Concentration.Digamma()).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new Gamma(Concentration.Expand(batchShape), Rate.Expand(batchShape), false);
    }
}
