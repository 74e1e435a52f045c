using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The log of a RelaxedOneHotCategorical (the Concrete distribution in log space; Maddison, Mnih and Teh 2017,
/// eq. 20 and appendix C): x = log softmax((l + G)/λ) with Gumbel noise G;
/// log p(x) = log Γ(K) + (K − 1) log λ + Σ (l − λx) − K logsumexp(l − λx).
/// </summary>
public sealed class ExpRelaxedCategorical : Distribution
{
    /// <summary>With temperature λ and logits l (categories in the last dimension).</summary>
    public ExpRelaxedCategorical(Tensor temperature, Tensor logits, bool? validateArgs = null)
        : base(logits.Shape[..^1].ToArray(), [logits.Dim(-1)], validateArgs)
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
    public override Constraint Support => Constraints.Independent(Constraints.Real, 1);

    /// <inheritdoc />
    public override bool HasRSample => true;

    /// <inheritdoc />
    public override Tensor LogProb(Tensor value)
    {
        CheckValue(value);
        int k = EventShape[0];
        var t = Temperature.Rank == 0 ? Temperature : Temperature.Unsqueeze(-1);
        var score = Logits - t * value;
        var logScale = Temperature.Log() * (k - 1) + MathNet.Numerics.SpecialFunctions.GammaLn(k);
        return (score - score.LogSumExp(-1, keepDim: true)).Sum(-1) + logScale;
    }

    /// <inheritdoc />
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        var g = Tensor.Uninitialized(ExtendedShape(sampleShape));
        Vinfer.Random.Sample.Gumbel(rng.NextKey(), g.Span);
        var t = Temperature.Rank == 0 ? Temperature : Temperature.Unsqueeze(-1);
        var scores = (Logits + g) / t;
        return scores - scores.LogSumExp(-1, keepDim: true);
    }
}
