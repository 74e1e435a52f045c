using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Vinfer.Tests.Random;

/// <summary>
/// Statistical checks for the sampler tests, all with fixed seeds and tolerances derived from the sample size at
/// a tiny false-alarm level, so they never flake but catch a wrong sampler.
/// </summary>
internal static class SampleStatistics
{
    /// <summary>Kolmogorov–Smirnov false-alarm level.</summary>
    private const double KsAlpha = 1e-6;

    /// <summary>Sample mean within 5 standard errors of <paramref name="mean"/>, sample variance within 5 of its own
    /// (standard error √((m4 − s⁴)/n), the fourth central moment m4 estimated from the sample).</summary>
    public static void AssertMoments(ReadOnlySpan<double> samples, double mean, double variance, string label)
    {
        int n = samples.Length;
        double sum = 0;
        foreach (double x in samples) sum += x;
        double sampleMean = sum / n;
        double m2 = 0, m4 = 0;
        foreach (double x in samples)
        {
            double d = x - sampleMean, d2 = d * d;
            m2 += d2;
            m4 += d2 * d2;
        }
        m2 /= n;
        m4 /= n;
        double meanError = 5 * Math.Sqrt(variance / n);
        Assert.True(Math.Abs(sampleMean - mean) < meanError,
            $"{label}: mean {sampleMean:R} vs {mean:R}, tolerance {meanError:G3}");
        double varianceError = 5 * Math.Sqrt(Math.Max(m4 - m2 * m2, 0) / n) + 1e-300;
        Assert.True(Math.Abs(m2 - variance) < varianceError,
            $"{label}: variance {m2:R} vs {variance:R}, tolerance {varianceError:G3}");
    }

    /// <summary>One-sample Kolmogorov–Smirnov test against <paramref name="cdf"/> at level 1e-6.</summary>
    public static void AssertKolmogorovSmirnov(ReadOnlySpan<double> samples, Func<double, double> cdf, string label)
    {
        double[] sorted = samples.ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        double statistic = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(sorted[i]);
            statistic = Math.Max(statistic, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        // Asymptotic critical value: P(√n·D > c) ≈ 2·exp(−2c²).
        double critical = Math.Sqrt(-Math.Log(KsAlpha / 2) / (2.0 * n));
        Assert.True(statistic < critical, $"{label}: KS statistic {statistic:G4} >= critical {critical:G4} (n = {n})");
    }

    /// <summary>
    /// Chi-square goodness of fit of integer draws against probabilities p(k), pooling the tails so every bin
    /// expects at least 5 counts, at level 1e-6.
    /// </summary>
    public static void AssertChiSquare(IReadOnlyList<long> outcomes, Func<long, double> probability, long low, long high, string label)
    {
        int n = outcomes.Count;
        var counts = new Dictionary<long, long>();
        foreach (long k in outcomes)
        {
            Assert.True(k >= low && k <= high, $"{label}: outcome {k} outside the support [{low}, {high}]");
            counts[k] = counts.GetValueOrDefault(k) + 1;
        }
        // Bins: consecutive values merged until each expects >= 5; the remainder joins the last bin.
        var binExpected = new List<double>();
        var binObserved = new List<double>();
        double expected = 0, observed = 0;
        for (long k = low; k <= high; k++)
        {
            expected += n * probability(k);
            observed += counts.GetValueOrDefault(k);
            if (expected >= 5)
            {
                binExpected.Add(expected);
                binObserved.Add(observed);
                expected = 0;
                observed = 0;
            }
        }
        if (binExpected.Count == 0) throw new InvalidOperationException("no bin with 5 expected counts");
        binExpected[^1] += expected;
        binObserved[^1] += observed;
        double statistic = 0;
        for (int b = 0; b < binExpected.Count; b++)
        {
            double d = binObserved[b] - binExpected[b];
            statistic += d * d / binExpected[b];
        }
        int degrees = binExpected.Count - 1;
        double critical = ChiSquared.InvCDF(Math.Max(degrees, 1), 1 - 1e-6);
        Assert.True(statistic < critical, $"{label}: chi-square {statistic:G4} >= critical {critical:G4} ({degrees} df)");
    }

    /// <summary>Pearson correlation.</summary>
    public static double Correlation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n;
        my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>Trigamma ψ₁(x) for x &gt; 0: recurrence up to x ≥ 10, then the asymptotic series.</summary>
    public static double Trigamma(double x)
    {
        double result = 0;
        while (x < 10)
        {
            result += 1 / (x * x);
            x += 1;
        }
        double inverse = 1 / x, inverse2 = inverse * inverse;
        return result + inverse + inverse2 / 2
            + inverse * inverse2 * (1.0 / 6 - inverse2 * (1.0 / 30 - inverse2 * (1.0 / 42 - inverse2 / 30)));
    }

    /// <summary>The CDF of log G for G ~ Gamma(shape, 1), exact in the far left tail where e^t underflows.</summary>
    public static double LogGammaCdf(double shape, double t)
    {
        if (t < -25)
        {
            // P(shape, x) = x^a e^{-x} Σ x^k/Γ(a+k+1) = x^a/Γ(a+1) · (1 + O(x)) for x = e^t < 1e-10.
            return Math.Exp(shape * t - SpecialFunctions.GammaLn(shape + 1));
        }
        return SpecialFunctions.GammaLowerRegularized(shape, Math.Exp(t));
    }
}
