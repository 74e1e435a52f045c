namespace Vinfer.Random;

public static partial class Sample
{
    private readonly struct BetaSampler : IElementSampler
    {
        // X = Ga/(Ga + Gb) = σ(log Ga − log Gb), with both gammas drawn in log space so tiny α or β (whose
        // gammas underflow) still give the right answer; the logistic form cannot produce 0/0.
        public static double Draw(ref ElementStream stream, double alpha, double beta)
        {
            double logA = GammaDraw.Log(ref stream, alpha);
            double logB = GammaDraw.Log(ref stream, beta);
            return 1.0 / (1.0 + Math.Exp(logB - logA));
        }
    }

    private const int BetaCost = 16;

    /// <summary>
    /// Beta(alpha, beta) draws as Ga/(Ga + Gb) from two Marsaglia–Tsang gammas (Devroye 1986, §IX.4) taken in log
    /// space, so tiny alpha or beta are handled (draws then round to 0 or 1 as the true values do).
    /// </summary>
    public static unsafe void Beta(RandomKey key, double alpha, double beta, Span<double> destination)
    {
        SamplerArguments.Positive(nameof(Beta), nameof(alpha), alpha);
        SamplerArguments.Positive(nameof(Beta), nameof(beta), beta);
        ElementFill.Fill<BetaSampler>(key, Scalar(&alpha), Scalar(&beta), destination, BetaCost);
    }

    /// <summary>Beta(alpha[i], beta[i]) draws per element.</summary>
    public static unsafe void Beta(RandomKey key, ReadOnlySpan<double> alpha, ReadOnlySpan<double> beta, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(Beta), nameof(alpha), alpha.Length, destination.Length);
        SamplerArguments.SameLength(nameof(Beta), nameof(beta), beta.Length, destination.Length);
        SamplerArguments.Positive(nameof(Beta), nameof(alpha), alpha);
        SamplerArguments.Positive(nameof(Beta), nameof(beta), beta);
        fixed (double* alphaPointer = alpha, betaPointer = beta)
            ElementFill.Fill<BetaSampler>(key, PerElement(alphaPointer), PerElement(betaPointer), destination, BetaCost);
    }
}
