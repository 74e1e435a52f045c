using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The Concrete / Gumbel-softmax distribution on the simplex (Maddison, Mnih and Teh 2017; Jang, Gu and Poole,
/// "Categorical Reparameterization with Gumbel-Softmax", ICLR 2017): softmax((l + G)/λ), the exp of an
/// <see cref="ExpRelaxedCategorical"/>; reparameterizable, approaching one-hot draws as λ → 0.
/// </summary>
public sealed class RelaxedOneHotCategorical : TransformedDistribution
{
    /// <summary>With a temperature and exactly one of probs and logits.</summary>
    public RelaxedOneHotCategorical(Tensor temperature, Tensor? probs = null, Tensor? logits = null, bool? validateArgs = null)
        : base(new ExpRelaxedCategorical(temperature, ToLogits(probs, logits, validateArgs ?? ValidateArgs), validateArgs), new IndependentBijector(new ExpBijector(), 1)) { }

    private static Tensor ToLogits(Tensor? probs, Tensor? logits, bool validate)
    {
        var p = ProbsOrLogits.Either(nameof(RelaxedOneHotCategorical), probs, logits);
        if (probs is null) return p;
        if (validate) Validation.Check(nameof(RelaxedOneHotCategorical), "probs", probs, Constraints.NonNegative);
        return probs.Log();
    }

    /// <summary>The temperature.</summary>
    public Tensor Temperature => ((ExpRelaxedCategorical)BaseDistribution).Temperature;

    /// <inheritdoc />
    public override Constraint Support => Constraints.Simplex;
}
