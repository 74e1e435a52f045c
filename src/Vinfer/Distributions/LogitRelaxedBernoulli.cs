using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The logit of a RelaxedBernoulli (the binary Concrete, Maddison, Mnih and Teh, "The Concrete Distribution",
/// ICLR 2017, eq. 19): x = (l + logit(u))/λ; log p(x) = log λ + (l − λx) − 2 softplus(l − λx).
/// </summary>
public sealed class LogitRelaxedBernoulli : Distribution
{
    /// <summary>With temperature λ &gt; 0 and logits l.</summary>
    public LogitRelaxedBernoulli(Tensor temperature, Tensor logits, bool? validateArgs = null)
        : base(BroadcastParameters(nameof(LogitRelaxedBernoulli), nameof(temperature), temperature, nameof(logits), logits), [], validateArgs)
    {
        Temperature = temperature; Logits = logits;
        CheckParameter(nameof(temperature), temperature, Constraints.Positive);
        CheckParameter(nameof(logits), logits, Constraints.Real);
    }

    /// <summary>λ.</summary>
    public Tensor Temperature { get; }

    /// <summary>l.</summary>
    public Tensor Logits { get; }

    /// <inheritdoc />
    public override Constraint Support => Constraints.Real;

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        var diff = Logits - Temperature * value;
        return Temperature.Log() + diff - 2.0 * diff.Softplus();
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape) =>
        (Logits + NoiseTensors.FromUniform(rng, ExtendedShape(sampleShape), u => Math.Log(u) - Vinfer.Tensors.Kernels.SpecialFunctions.Log1p(-u))) / Temperature;
}
