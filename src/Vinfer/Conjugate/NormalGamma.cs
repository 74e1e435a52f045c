using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Conjugate;

/// <summary>
/// The Normal–Gamma distribution NG(m, β, a, b) over a mean μ and a precision τ: τ ~ Gamma(a, rate b),
/// μ | τ ~ N(m, (βτ)⁻¹), the conjugate prior of a univariate Gaussian (Bishop 2006, §2.3.6); a diagonal-covariance
/// Gaussian's prior is a product of one per dimension. As an exponential family, with T(μ, τ) = (τμ, −½τμ², −½τ,
/// ½ log τ): η = (βm, β, 2b + βm², 2a − 1), A = log Γ(a) − a log b − ½ log β, h = (2π)^(−½);
/// E[T] = ((a/b)m, −½(1/β + (a/b)m²), −½ a/b, ½(ψ(a) − log b)). An observation x adds (x, 1, x², 1) to η.
/// The Gamma marginal is the library's <see cref="Gamma"/> (its KL registry gives the Gamma part of the KL, which the
/// tests compare with the exponential-family form).
/// </summary>
public sealed class NormalGamma : IExponentialFamily
{
    /// <summary>The number of natural parameters, 4.</summary>
    public const int NaturalLength = 4;

    /// <summary>NG(m, β, a, b) with β, a, b finite and positive.</summary>
    public NormalGamma(double mean, double beta, double shape, double rate)
    {
        if (!double.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "m must be finite.");
        if (!(beta > 0) || double.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be finite and positive.");
        if (!(shape > 0) || double.IsInfinity(shape)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "the shape a must be finite and positive.");
        if (!(rate > 0) || double.IsInfinity(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "the rate b must be finite and positive.");
        Mean = mean; Beta = beta; Shape = shape; Rate = rate;
    }

    /// <summary>The member with natural parameters (βm, β, 2b + βm², 2a − 1).</summary>
    public static NormalGamma FromNatural(ReadOnlySpan<double> natural)
    {
        if (natural.Length != NaturalLength) throw new ArgumentException($"{natural.Length} natural parameters, expected {NaturalLength}.", nameof(natural));
        double beta = natural[1], mean = natural[0] / beta;
        return new NormalGamma(mean, beta, 0.5 * (natural[3] + 1), 0.5 * (natural[2] - beta * mean * mean));
    }

    /// <summary>m.</summary>
    public double Mean { get; }

    /// <summary>β.</summary>
    public double Beta { get; }

    /// <summary>The Gamma shape a.</summary>
    public double Shape { get; }

    /// <summary>The Gamma rate b.</summary>
    public double Rate { get; }

    /// <summary>E[τ] = a/b.</summary>
    public double ExpectedPrecision => Shape / Rate;

    /// <summary>E[log τ] = ψ(a) − log b.</summary>
    public double ExpectedLogPrecision => GammaFunctionSpans.Digamma(Shape) - Math.Log(Rate);

    /// <summary>E[log N(x | μ, τ⁻¹)] = ½ E[log τ] − ½ log 2π − ½(1/β + (a/b)(x − m)²).</summary>
    public double ExpectedLogLikelihood(double x) =>
        0.5 * ExpectedLogPrecision - 0.5 * Math.Log(2 * Math.PI) - 0.5 * (1 / Beta + ExpectedPrecision * (x - Mean) * (x - Mean));

    /// <summary>The precision's marginal, the library's Gamma(a, b).</summary>
    public Gamma PrecisionDistribution() => new(Tensor.Scalar(Shape), Tensor.Scalar(Rate));

    /// <inheritdoc />
    public int NaturalDimension => NaturalLength;

    /// <inheritdoc />
    public void NaturalParameters(Span<double> destination)
    {
        destination[0] = Beta * Mean;
        destination[1] = Beta;
        destination[2] = 2 * Rate + Beta * Mean * Mean;
        destination[3] = 2 * Shape - 1;
    }

    /// <inheritdoc />
    public void ExpectedSufficientStatistics(Span<double> destination)
    {
        double e = ExpectedPrecision;
        destination[0] = e * Mean;
        destination[1] = -0.5 * (1 / Beta + e * Mean * Mean);
        destination[2] = -0.5 * e;
        destination[3] = 0.5 * ExpectedLogPrecision;
    }

    /// <inheritdoc />
    public double LogPartition => GammaFunctionSpans.LogGamma(Shape) - Shape * Math.Log(Rate) - 0.5 * Math.Log(Beta);

    /// <inheritdoc />
    public double ExpectedLogBaseMeasure => -0.5 * Math.Log(2 * Math.PI);

    /// <summary>KL(this ‖ prior) in closed form.</summary>
    public double KullbackLeiblerTo(NormalGamma prior) => ExponentialFamily.KullbackLeibler(this, prior);

    /// <summary>log NG(μ, τ) = ⟨η, T(μ, τ)⟩ − A + log h.</summary>
    public double LogDensity(double mean, double precision)
    {
        Span<double> eta = stackalloc double[4];
        NaturalParameters(eta);
        double t = eta[0] * precision * mean - 0.5 * eta[1] * precision * mean * mean - 0.5 * eta[2] * precision + 0.5 * eta[3] * Math.Log(precision);
        return t - LogPartition + ExpectedLogBaseMeasure;
    }

    /// <summary>One draw (τ, then μ | τ).</summary>
    public (double Mean, double Precision) Sample(RandomKey key)
    {
        var buffer = new double[1];
        Vinfer.Random.Sample.Gamma(key.Child(0), Shape, Rate, buffer);
        double tau = buffer[0];
        Vinfer.Random.Sample.Normal(key.Child(1), buffer);
        return (Mean + buffer[0] / Math.Sqrt(Beta * tau), tau);
    }
}
