using Vinfer.Autodiff;
using Vinfer.Tensors;
using Vinfer.Distributions;
using Vinfer.Random;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// Shared statistical and numerical checks for distributions: Kolmogorov–Smirnov and moment tests with
/// tolerances from the sample size, and gradient checks through <see cref="GradientCheck"/>.
/// </summary>
internal static class DistributionChecks
{
    /// <summary>Draws in the tests: enough for a sharp KS test, fast enough for the suite.</summary>
    public const int Draws = 20000;

    /// <summary>
    /// The one-sample KS statistic D = sup |F_n − F|; asserts D below the critical value at level 1e-4,
    /// √(−ln(α/2)/(2n)) (the asymptotic Kolmogorov distribution; Massey 1951).
    /// </summary>
    public static void AssertKolmogorovSmirnov(ReadOnlySpan<double> samples, Func<double, double> cdf, string what)
    {
        var x = samples.ToArray();
        Array.Sort(x);
        int n = x.Length;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(x[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        double critical = Math.Sqrt(-Math.Log(1e-4 / 2) / (2.0 * n));
        Assert.True(d < critical, $"{what}: KS statistic {d:G4} exceeds the critical value {critical:G4} (n = {n})");
    }

    /// <summary>
    /// Asserts the sample mean within 6 standard errors of <paramref name="mean"/>, and, when given, the sample
    /// variance within 6 standard errors (from the sample's fourth central moment) of <paramref name="variance"/>.
    /// </summary>
    public static void AssertMoments(ReadOnlySpan<double> samples, double mean, double? variance, string what)
    {
        int n = samples.Length;
        double m = 0;
        foreach (double v in samples) m += v;
        m /= n;
        double m2 = 0, m4 = 0;
        foreach (double v in samples) { double d = v - m; m2 += d * d; m4 += d * d * d * d; }
        m2 /= n - 1; m4 /= n;
        double seMean = Math.Sqrt(m2 / n);
        Assert.True(Math.Abs(m - mean) <= 6 * seMean + 1e-12 * Math.Abs(mean), $"{what}: sample mean {m:G6} vs {mean:G6} (se {seMean:G3})");
        if (variance is double var)
        {
            double seVar = Math.Sqrt(Math.Max(m4 - m2 * m2, 0) / n);
            Assert.True(Math.Abs(m2 - var) <= 6 * seVar + 1e-12 * var, $"{what}: sample variance {m2:G6} vs {var:G6} (se {seVar:G3})");
        }
    }

    /// <summary>Asserts |actual − expected| ≤ tol·max(1, |expected|) elementwise.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if (double.IsInfinity(e)) { Assert.True(e == a, $"{what}[{i}]: expected {e}, got {a}"); continue; }
            Assert.True(Math.Abs(e - a) <= tol * Math.Max(1, Math.Abs(e)), $"{what}[{i}]: expected {e:G17}, got {a:G17}");
        }
    }

    /// <summary>Gradient check of a function of several tensors.</summary>
    public static void AssertGradient(Func<Tensor[], Tensor> f, double tolerance, params Tensor[] inputs)
    {
        var r = GradientCheck.Check(f, inputs, tolerance: tolerance);
        Assert.True(r.Passed, r.ToString());
    }

    /// <summary>Draws as a flat array.</summary>
    public static double[] Draw(Distribution d, ulong seed, int n = Draws) => d.Sample(new RandomStream(seed), n).ToArray();

    /// <summary>A tensor of uniform values in [low, high).</summary>
    public static Tensor Uniform(int seed, double low, double high, params int[] shape)
    {
        var rng = new System.Random(seed);
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = low + (high - low) * rng.NextDouble();
        return t;
    }

    /// <summary>A tensor of log-uniform values in [low, high) (spreads parameters over orders of magnitude).</summary>
    public static Tensor LogUniform(int seed, double low, double high, params int[] shape)
    {
        var t = Uniform(seed, Math.Log(low), Math.Log(high), shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = Math.Exp(s[i]);
        return t;
    }
}
