using System.Runtime.Intrinsics;
using Vinfer.Distributions;

namespace Vinfer.Conjugate;

/// <summary>
/// log Γ and ψ (digamma) over spans, four lanes at a time with the library's one implementation
/// (<c>GammaFunctionsVector</c>, Abramowitz and Stegun 6.1.41 and 6.3.18): the expectations E[log θ] of Dirichlet and
/// Gamma factors that coordinate-ascent updates need for every row of a responsibility or topic matrix.
/// </summary>
public static class GammaFunctionSpans
{
    /// <summary>destination[i] = ψ(x[i]) for x[i] &gt; 0 (the spans may be the same).</summary>
    public static void Digamma(ReadOnlySpan<double> x, Span<double> destination)
    {
        if (destination.Length < x.Length) throw new ArgumentException($"destination has {destination.Length} elements, fewer than x's {x.Length}.", nameof(destination));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= x.Length; i += 4)
            {
                var v = Vector256.Create(x.Slice(i, 4));
                if (!GammaFunctionsVector.InDomain(v)) break;
                GammaFunctionsVector.LogGammaDigamma(v, out _, out var d);
                d.CopyTo(destination.Slice(i, 4));
            }
        }
        for (; i < x.Length; i++)
        {
            GammaFunctions.LogGammaDigamma(x[i], out _, out double d);
            destination[i] = d;
        }
    }

    /// <summary>destination[i] = log Γ(x[i]) for x[i] &gt; 0 (the spans may be the same).</summary>
    public static void LogGamma(ReadOnlySpan<double> x, Span<double> destination)
    {
        if (destination.Length < x.Length) throw new ArgumentException($"destination has {destination.Length} elements, fewer than x's {x.Length}.", nameof(destination));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 4 <= x.Length; i += 4)
            {
                var v = Vector256.Create(x.Slice(i, 4));
                if (!GammaFunctionsVector.InDomain(v)) break;
                GammaFunctionsVector.LogGammaDigamma(v, out var g, out _);
                g.CopyTo(destination.Slice(i, 4));
            }
        }
        for (; i < x.Length; i++) destination[i] = GammaFunctions.LogGamma(x[i]);
    }

    /// <summary>ψ(x) for one value.</summary>
    public static double Digamma(double x)
    {
        GammaFunctions.LogGammaDigamma(x, out _, out double d);
        return d;
    }

    /// <summary>log Γ(x) for one value.</summary>
    public static double LogGamma(double x) => GammaFunctions.LogGamma(x);

    /// <summary>
    /// The multivariate log-gamma function log Γ_d(a) = d(d−1)/4 · log π + Σ_{i=1..d} log Γ(a + (1 − i)/2), for
    /// a &gt; (d − 1)/2: the Wishart's normalizer.
    /// </summary>
    public static double MultivariateLogGamma(double a, int dimension)
    {
        double sum = 0.25 * dimension * (dimension - 1) * Math.Log(Math.PI);
        for (int i = 0; i < dimension; i++) sum += GammaFunctions.LogGamma(a - 0.5 * i);
        return sum;
    }

    /// <summary>The multivariate digamma ψ_d(a) = Σ_{i=1..d} ψ(a + (1 − i)/2), the derivative of log Γ_d.</summary>
    public static double MultivariateDigamma(double a, int dimension)
    {
        double sum = 0;
        for (int i = 0; i < dimension; i++) sum += Digamma(a - 0.5 * i);
        return sum;
    }
}
