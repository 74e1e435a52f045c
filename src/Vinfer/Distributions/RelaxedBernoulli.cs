using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// The relaxed Bernoulli (binary Concrete; Maddison et al. 2017, Jang et al. 2017) on (0, 1): σ of a
/// <see cref="LogitRelaxedBernoulli"/>; reparameterizable, approaching Bernoulli(p) as the temperature → 0.
/// </summary>
public sealed class RelaxedBernoulli : TransformedDistribution
{
    /// <summary>With a temperature and exactly one of probs and logits.</summary>
    public RelaxedBernoulli(Tensor temperature, Tensor? probs = null, Tensor? logits = null, bool? validateArgs = null)
        : base(new LogitRelaxedBernoulli(temperature, ToLogits(probs, logits, validateArgs ?? ValidateArgs), validateArgs), new SigmoidBijector()) { }

    private static Tensor ToLogits(Tensor? probs, Tensor? logits, bool validate)
    {
        var p = ProbsOrLogits.Either(nameof(RelaxedBernoulli), probs, logits);
        if (probs is null) return p;
        if (validate) Validation.Check(nameof(RelaxedBernoulli), "probs", probs, Constraints.UnitInterval);
        return probs.Log() - (-probs).Log1p();
    }

    /// <summary>The temperature.</summary>
    public Tensor Temperature => ((LogitRelaxedBernoulli)BaseDistribution).Temperature;

    /// <summary>The logits.</summary>
    public Tensor Logits => ((LogitRelaxedBernoulli)BaseDistribution).Logits;

    /// <summary>(0, 1) (the endpoints have density 0 or ∞).</summary>
    public override Constraint Support => Constraints.UnitInterval;
}
