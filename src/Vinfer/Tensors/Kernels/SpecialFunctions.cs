using System.Runtime.CompilerServices;
using MathNet.Numerics;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Scalar special functions written for the tails, after Stan Math's care: log1p and expm1 exact for tiny
/// arguments (.NET's double.LogP1/ExpM1 and TensorPrimitives' are naive), softplus and log-sigmoid that never
/// overflow, log Φ accurate far into the lower tail, and trigamma for the gradient of digamma.
/// </summary>
public static class SpecialFunctions
{
    /// <summary>log(2π)/2.</summary>
    public const double HalfLog2Pi = 0.91893853320467274178;

    /// <summary>1/√(2π).</summary>
    public const double InvSqrt2Pi = 0.39894228040143267794;

    /// <summary>log(1 + x), accurate for |x| ≪ 1 (Goldberg 1991, "What every computer scientist…", thm. 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsPositiveInfinity(u)) return u;
        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>exp(x) − 1, accurate for |x| ≪ 1 (Kahan's trick).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Expm1(double x)
    {
        if (Math.Abs(x) < 1e-5) return x + 0.5 * x * x + x * x * x / 6.0;
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }

    /// <summary>log(1 + eˣ) without overflow or loss for large |x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Softplus(double x) => x > 0 ? x + Log1p(Math.Exp(-x)) : Log1p(Math.Exp(x));

    /// <summary>1/(1 + e⁻ˣ), evaluated on the side that does not overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double x)
    {
        if (x >= 0) return 1.0 / (1.0 + Math.Exp(-x));
        double e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>log σ(x) = −softplus(−x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double LogSigmoid(double x) => -Softplus(-x);

    /// <summary>log Γ(x) for x &gt; 0 (and the log of |Γ| for negative non-integers).</summary>
    public static double LogGamma(double x) => SpecialFunctions_GammaLn(x);

    private static double SpecialFunctions_GammaLn(double x)
    {
        if (x > 0 && x < 1e-8) return -Math.Log(x) - 0.5772156649015329 * x; // Γ(x) ≈ 1/x − γ near 0
        return MathNet.Numerics.SpecialFunctions.GammaLn(x);
    }

    /// <summary>ψ(x) = d/dx log Γ(x).</summary>
    public static double Digamma(double x)
    {
        if (double.IsNaN(x) || double.IsNegativeInfinity(x)) return double.NaN;
        if (x <= 0 && Math.Floor(x) == x) return double.NaN;
        if (x < 0) return Digamma(1 - x) - Math.PI / Math.Tan(Math.PI * x);
        double result = 0;
        while (x < 10) { result -= 1 / x; x += 1; }
        double f = 1 / (x * x);
        // asymptotic series with Bernoulli numbers B₂…B₁₄; at x ≥ 10 the first omitted term is below 1e-17
        return result + Math.Log(x) - 0.5 / x
            - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760 - f / 12))))));
    }

    /// <summary>ψ′(x), the trigamma function (recurrence up to x ≥ 10, then the asymptotic series).</summary>
    public static double Trigamma(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x <= 0 && Math.Floor(x) == x) return double.NaN;
        if (x < 0)
        {
            double s = Math.PI / Math.Sin(Math.PI * x);
            return -Trigamma(1 - x) + s * s;
        }
        double result = 0;
        while (x < 10) { result += 1 / (x * x); x += 1; }
        double f = 1 / (x * x);
        return result + 1 / x + f / 2
            + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66 - f * (691.0 / 2730 - f * 7.0 / 6))))));
    }

    /// <summary>The error function.</summary>
    public static double Erf(double x) => MathNet.Numerics.SpecialFunctions.Erf(x);

    /// <summary>The complementary error function, accurate in the upper tail.</summary>
    public static double Erfc(double x) => MathNet.Numerics.SpecialFunctions.Erfc(x);

    /// <summary>Φ(x), the standard normal CDF, through erfc so the lower tail keeps its relative accuracy.</summary>
    public static double NormalCdf(double x) => 0.5 * Erfc(-x / Constants.Sqrt2);

    /// <summary>φ(x), the standard normal density.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double NormalPdf(double x) => InvSqrt2Pi * Math.Exp(-0.5 * x * x);

    /// <summary>log Φ(x), accurate far into the lower tail (asymptotic Mills-ratio series below −20).</summary>
    public static double LogNormalCdf(double x)
    {
        if (x > 5) return -NormalCdf(-x) - 0.5 * NormalCdf(-x) * NormalCdf(-x); // log(1 − t) for tiny t
        if (x > -20) return Math.Log(NormalCdf(x));
        // Φ(x) = φ(x)/(−x) · (1 − 1/x² + 3/x⁴ − 15/x⁶ + 105/x⁸ − …)
        double z = 1 / (x * x);
        double series = 1 - z * (1 - z * (3 - z * (15 - z * 105)));
        return -0.5 * x * x - HalfLog2Pi - Math.Log(-x) + Math.Log(series);
    }

    /// <summary>φ(x)/Φ(x), the derivative of log Φ, stable in both tails.</summary>
    public static double NormalHazardRatio(double x)
    {
        if (x > -20) return NormalPdf(x) / NormalCdf(x);
        return Math.Exp(-0.5 * x * x - HalfLog2Pi - LogNormalCdf(x));
    }
}
