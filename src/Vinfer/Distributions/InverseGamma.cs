using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The inverse-gamma distribution (1/X for X ~ Gamma(α, β)): log p(x) = α log β − log Γ(α) − (α + 1) log x − β/x.
/// RSample is β / G with G ~ Gamma(α, 1) by implicit reparameterization.
/// </summary>
public sealed class InverseGamma : Distribution
{
    /// <summary>InverseGamma(concentration, rate), both positive.</summary>
    public InverseGamma(Tensor concentration, Tensor rate, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(InverseGamma), nameof(concentration), concentration, nameof(rate), rate), [], validateArgs)
    {
        Concentration = concentration; Rate = rate;
        CheckParameter(nameof(concentration), concentration, Constraints.Positive);
        CheckParameter(nameof(rate), rate, Constraints.Positive);
    }

    /// <summary>InverseGamma with scalar parameters.</summary>
    public InverseGamma(double concentration, double rate, bool? validateArgs = null) : this(Tensor.Scalar(concentration), Tensor.Scalar(rate), validateArgs) { }

    /// <summary>The shape α.</summary>
    public Tensor Concentration { get; }

    /// <summary>The rate β of the underlying gamma (the scale of this distribution).</summary>
    public Tensor Rate { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Positive;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        return Concentration * Rate.Log() - Concentration.LogGamma() - (Concentration + 1.0) * value.Log() - Rate / value;
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) =>
        Rate / StandardGammaDraw.Draw(Concentration.Expand(ExtendedShape(sampleShape)), rng.NextKey());

    /// <summary>β/(α − 1) for α &gt; 1.</summary>
    public override Tensor Mean => (Rate / (Concentration - 1.0)).Expand(BatchShape);

    /// <summary>β²/((α − 1)²(α − 2)) for α &gt; 2.</summary>
    public override Tensor Variance => (Rate.Square() / ((Concentration - 1.0).Square() * (Concentration - 2.0))).Expand(BatchShape);

    /// <summary>α + log β + log Γ(α) − (1 + α)ψ(α).</summary>
    public override Tensor Entropy() =>
        (Concentration + Rate.Log() + Concentration.LogGamma() - (1.0 + Concentration) * Concentration.Digamma()).Expand(BatchShape);

    /// <inheritdoc />
    public override Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new InverseGamma(Concentration.Expand(batchShape), Rate.Expand(batchShape), false);
    }
}
