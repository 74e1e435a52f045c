using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Conjugate;

/// <summary>
/// A Beta(a, b) factor over a Bernoulli probability p, as an exponential family: T(p) = (log p, log(1 − p)),
/// η = (a − 1, b − 1), A = log B(a, b), h = 1; E[T] = (ψ(a) − ψ(a + b), ψ(b) − ψ(a + b)). An outcome y ∈ {0, 1} adds
/// (y, 1 − y) to η, so after s successes in n trials the posterior is Beta(a + s, b + n − s) (Gelman et al., BDA3,
/// §2.4). The KL and the entropy come from the library's <see cref="Beta"/> and its KL registry.
/// </summary>
public sealed class BetaBernoulli : IExponentialFamily
{
    /// <summary>Beta(a, b), a and b finite and positive.</summary>
    public BetaBernoulli(double first, double second)
    {
        if (!(first > 0) || double.IsInfinity(first)) throw new ArgumentOutOfRangeException(nameof(first), first, "a must be finite and positive.");
        if (!(second > 0) || double.IsInfinity(second)) throw new ArgumentOutOfRangeException(nameof(second), second, "b must be finite and positive.");
        First = first; Second = second;
    }

    /// <summary>a.</summary>
    public double First { get; }

    /// <summary>b.</summary>
    public double Second { get; }

    /// <summary>The posterior after (expected) <paramref name="successes"/> in <paramref name="trials"/>.</summary>
    public BetaBernoulli Posterior(double successes, double trials)
    {
        if (!(successes >= 0 && trials >= successes)) throw new ArgumentOutOfRangeException(nameof(successes), successes, $"successes must be in [0, trials = {trials}].");
        return new BetaBernoulli(First + successes, Second + trials - successes);
    }

    /// <summary>E[p] = a/(a + b).</summary>
    public double ExpectedProbability => First / (First + Second);

    /// <summary>E[log p].</summary>
    public double ExpectedLogProbability => GammaFunctionSpans.Digamma(First) - GammaFunctionSpans.Digamma(First + Second);

    /// <summary>E[log(1 − p)].</summary>
    public double ExpectedLogComplement => GammaFunctionSpans.Digamma(Second) - GammaFunctionSpans.Digamma(First + Second);

    /// <summary>KL(this ‖ prior) through the registry (Beta ‖ Beta).</summary>
    public double KullbackLeiblerTo(BetaBernoulli prior) => KullbackLeibler.Divergence(ToDistribution(), prior.ToDistribution()).Item();

    /// <summary>The entropy, from the library's Beta.</summary>
    public double Entropy() => ToDistribution().Entropy().Item();

    /// <summary>This factor as the library's <see cref="Beta"/>.</summary>
    public Beta ToDistribution() => new(First, Second);

    /// <inheritdoc />
    public int NaturalDimension => 2;

    /// <inheritdoc />
    public void NaturalParameters(Span<double> destination) { destination[0] = First - 1; destination[1] = Second - 1; }

    /// <inheritdoc />
    public void ExpectedSufficientStatistics(Span<double> destination) { destination[0] = ExpectedLogProbability; destination[1] = ExpectedLogComplement; }

    /// <inheritdoc />
    public double LogPartition => GammaFunctionSpans.LogGamma(First) + GammaFunctionSpans.LogGamma(Second) - GammaFunctionSpans.LogGamma(First + Second);

    /// <inheritdoc />
    public double ExpectedLogBaseMeasure => 0;
}
