using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Conjugate;

/// <summary>
/// A Gamma(a, rate b) factor over a Poisson rate λ, as an exponential family: T(λ) = (log λ, λ), η = (a − 1, −b),
/// A = log Γ(a) − a log b, h = 1; E[T] = (ψ(a) − log b, a/b). A Poisson count y adds (y, −1) to η, so after counts
/// summing to Y over n observations the posterior is Gamma(a + Y, b + n) (Gelman et al., BDA3, §2.6). The KL and the
/// entropy come from the library's <see cref="Gamma"/> and its KL registry.
/// </summary>
public sealed class GammaPoisson : IExponentialFamily
{
    /// <summary>Gamma(a, b), a and b finite and positive.</summary>
    public GammaPoisson(double shape, double rate)
    {
        if (!(shape > 0) || double.IsInfinity(shape)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "the shape must be finite and positive.");
        if (!(rate > 0) || double.IsInfinity(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the rate must be finite and positive.");
        Shape = shape; Rate = rate;
    }

    /// <summary>a.</summary>
    public double Shape { get; }

    /// <summary>b.</summary>
    public double Rate { get; }

    /// <summary>The posterior after <paramref name="observations"/> (expected) counts summing to <paramref name="totalCount"/>.</summary>
    public GammaPoisson Posterior(double totalCount, double observations)
    {
        if (!(totalCount >= 0)) throw new ArgumentOutOfRangeException(nameof(totalCount), totalCount, "counts must be non-negative.");
        if (!(observations >= 0)) throw new ArgumentOutOfRangeException(nameof(observations), observations, "the number of observations must be non-negative.");
        return new GammaPoisson(Shape + totalCount, Rate + observations);
    }

    /// <summary>E[λ] = a/b.</summary>
    public double ExpectedRate => Shape / Rate;

    /// <summary>E[log λ] = ψ(a) − log b.</summary>
    public double ExpectedLogRate => GammaFunctionSpans.Digamma(Shape) - Math.Log(Rate);

    /// <summary>E[log Poisson(y | λ)] = y E[log λ] − E[λ] − log y!.</summary>
    public double ExpectedLogLikelihood(double count) => count * ExpectedLogRate - ExpectedRate - GammaFunctionSpans.LogGamma(count + 1);

    /// <summary>KL(this ‖ prior) through the registry (Gamma ‖ Gamma).</summary>
    public double KullbackLeiblerTo(GammaPoisson prior) => KullbackLeibler.Divergence(ToDistribution(), prior.ToDistribution()).Item();

    /// <summary>The entropy, from the library's Gamma.</summary>
    public double Entropy() => ToDistribution().Entropy().Item();

    /// <summary>This factor as the library's <see cref="Gamma"/>.</summary>
    public Gamma ToDistribution() => new(Tensor.Scalar(Shape), Tensor.Scalar(Rate));

    /// <inheritdoc />
    public int NaturalDimension => 2;

    /// <inheritdoc />
    public void NaturalParameters(Span<double> destination) { destination[0] = Shape - 1; destination[1] = -Rate; }

    /// <inheritdoc />
    public void ExpectedSufficientStatistics(Span<double> destination) { destination[0] = ExpectedLogRate; destination[1] = ExpectedRate; }

    /// <inheritdoc />
    public double LogPartition => GammaFunctionSpans.LogGamma(Shape) - Shape * Math.Log(Rate);

    /// <inheritdoc />
    public double ExpectedLogBaseMeasure => 0;
}
