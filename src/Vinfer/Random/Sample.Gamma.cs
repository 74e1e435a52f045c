namespace Vinfer.Random;

public static partial class Sample
{
    private readonly struct GammaSampler : IElementSampler
    {
        public static double Draw(ref ElementStream stream, double shape, double rate) =>
            GammaDraw.Standard(ref stream, shape) / rate;
    }

    private readonly struct GammaLogSampler : IElementSampler
    {
        public static double Draw(ref ElementStream stream, double shape, double rate) =>
            GammaDraw.Log(ref stream, shape) - Math.Log(rate);
    }

    private const int GammaCost = 8;

    /// <summary>
    /// Gamma(shape, rate) draws (mean shape/rate) by Marsaglia–Tsang (2000) with the U^(1/shape) boost for
    /// shape &lt; 1; each element rejects on its own sub-stream. For tiny shapes draws underflow to 0: use
    /// <see cref="GammaLog(RandomKey, double, double, Span{double})"/> when the log is what is needed.
    /// </summary>
    public static unsafe void Gamma(RandomKey key, double shape, double rate, Span<double> destination)
    {
        SamplerArguments.Positive(nameof(Gamma), nameof(shape), shape);
        SamplerArguments.Positive(nameof(Gamma), nameof(rate), rate);
        ElementFill.Fill<GammaSampler>(key, Scalar(&shape), Scalar(&rate), destination, GammaCost);
    }

    /// <summary>Gamma(shape, 1) draws.</summary>
    public static void Gamma(RandomKey key, double shape, Span<double> destination) => Gamma(key, shape, 1.0, destination);

    /// <summary>Gamma(shape[i], rate[i]) draws per element.</summary>
    public static unsafe void Gamma(RandomKey key, ReadOnlySpan<double> shape, ReadOnlySpan<double> rate, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(Gamma), nameof(shape), shape.Length, destination.Length);
        SamplerArguments.SameLength(nameof(Gamma), nameof(rate), rate.Length, destination.Length);
        SamplerArguments.Positive(nameof(Gamma), nameof(shape), shape);
        SamplerArguments.Positive(nameof(Gamma), nameof(rate), rate);
        fixed (double* shapePointer = shape, ratePointer = rate)
            ElementFill.Fill<GammaSampler>(key, PerElement(shapePointer), PerElement(ratePointer), destination, GammaCost);
    }

    /// <summary>Gamma(shape[i], 1) draws per element.</summary>
    public static unsafe void Gamma(RandomKey key, ReadOnlySpan<double> shape, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(Gamma), nameof(shape), shape.Length, destination.Length);
        SamplerArguments.Positive(nameof(Gamma), nameof(shape), shape);
        double rate = 1.0;
        fixed (double* shapePointer = shape)
            ElementFill.Fill<GammaSampler>(key, PerElement(shapePointer), Scalar(&rate), destination, GammaCost);
    }

    /// <summary>
    /// The natural logs of Gamma(shape, rate) draws, computed in log space (log G(shape + 1) + log(U)/shape for
    /// shape &lt; 1), so they stay finite and accurate when the draws themselves underflow (shape ≲ 0.01).
    /// With the same key, exp of this equals <see cref="Gamma(RandomKey, double, double, Span{double})"/> up to rounding.
    /// </summary>
    public static unsafe void GammaLog(RandomKey key, double shape, double rate, Span<double> destination)
    {
        SamplerArguments.Positive(nameof(GammaLog), nameof(shape), shape);
        SamplerArguments.Positive(nameof(GammaLog), nameof(rate), rate);
        ElementFill.Fill<GammaLogSampler>(key, Scalar(&shape), Scalar(&rate), destination, GammaCost);
    }

    /// <summary>Logs of Gamma(shape, 1) draws.</summary>
    public static void GammaLog(RandomKey key, double shape, Span<double> destination) => GammaLog(key, shape, 1.0, destination);

    /// <summary>Logs of Gamma(shape[i], rate[i]) draws per element.</summary>
    public static unsafe void GammaLog(RandomKey key, ReadOnlySpan<double> shape, ReadOnlySpan<double> rate, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(GammaLog), nameof(shape), shape.Length, destination.Length);
        SamplerArguments.SameLength(nameof(GammaLog), nameof(rate), rate.Length, destination.Length);
        SamplerArguments.Positive(nameof(GammaLog), nameof(shape), shape);
        SamplerArguments.Positive(nameof(GammaLog), nameof(rate), rate);
        fixed (double* shapePointer = shape, ratePointer = rate)
            ElementFill.Fill<GammaLogSampler>(key, PerElement(shapePointer), PerElement(ratePointer), destination, GammaCost);
    }
}
