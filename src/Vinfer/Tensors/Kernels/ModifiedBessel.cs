namespace Vinfer.Tensors.Kernels;

/// <summary>
/// The modified Bessel functions of the first kind of orders 0 and 1, exponentially scaled (e^{−|x|} I₀(x),
/// e^{−|x|} I₁(x)), log I₀ and the ratio I₁/I₀, for the von Mises distribution. Small arguments use the power series
/// I_ν(x) = Σ_k (x/2)^{2k+ν} / (k! (k+ν)!) (all terms positive, so no cancellation); large ones the asymptotic
/// expansion I_ν(x) ~ e^x / √(2πx) Σ_k (−1)^k a_k(ν) / x^k, a_k(ν) = Π_{j≤k}(4ν² − (2j−1)²) / (k! 8^k)
/// (Abramowitz and Stegun 9.6.10 and 9.7.1), summed until its terms stop shrinking. The scaled forms never overflow,
/// so log I₀(x) = |x| + log(e^{−|x|} I₀(x)) is exact to rounding for every finite x.
/// </summary>
public static class ModifiedBessel
{
    // Above this the asymptotic series' smallest term is below 1e-17 of its sum; below it the power series' largest
    // term is at most e^{25}, far from overflow.
    private const double AsymptoticThreshold = 25;

    /// <summary>e^{−|x|} I₀(x).</summary>
    public static double I0Scaled(double x)
    {
        double a = Math.Abs(x);
        if (double.IsNaN(a)) return double.NaN;
        if (double.IsPositiveInfinity(a)) return 0;
        return a < AsymptoticThreshold ? PowerSeries(a, 0) * Math.Exp(-a) : AsymptoticSeries(a, 0) / Math.Sqrt(2 * Math.PI * a);
    }

    /// <summary>e^{−|x|} I₁(x) (odd in x).</summary>
    public static double I1Scaled(double x)
    {
        double a = Math.Abs(x);
        if (double.IsNaN(a)) return double.NaN;
        if (double.IsPositiveInfinity(a)) return 0;
        double v = a < AsymptoticThreshold ? PowerSeries(a, 1) * Math.Exp(-a) : AsymptoticSeries(a, 1) / Math.Sqrt(2 * Math.PI * a);
        return x < 0 ? -v : v;
    }

    /// <summary>log I₀(x), without overflow for large |x|.</summary>
    public static double LogI0(double x)
    {
        double a = Math.Abs(x);
        if (double.IsNaN(a)) return double.NaN;
        if (double.IsPositiveInfinity(a)) return double.PositiveInfinity;
        return a < AsymptoticThreshold ? Math.Log(PowerSeries(a, 0)) : a + Math.Log(AsymptoticSeries(a, 0)) - 0.5 * Math.Log(2 * Math.PI * a);
    }

    /// <summary>I₁(x)/I₀(x) = d log I₀(x)/dx, in (−1, 1); the mean resultant length of a von Mises with concentration x.</summary>
    public static double I1OverI0(double x)
    {
        double a = Math.Abs(x);
        if (double.IsNaN(a)) return double.NaN;
        if (double.IsPositiveInfinity(a)) return Math.Sign(x);
        double r = a < AsymptoticThreshold ? PowerSeries(a, 1) / PowerSeries(a, 0) : AsymptoticSeries(a, 1) / AsymptoticSeries(a, 0);
        return x < 0 ? -r : r;
    }

    /// <summary>Σ_k (a/2)^{2k+ν} / (k! (k+ν)!) for ν ∈ {0, 1}, a ≥ 0.</summary>
    private static double PowerSeries(double a, int order)
    {
        double quarterSquare = 0.25 * a * a;
        double term = order == 0 ? 1 : 0.5 * a;
        double sum = term;
        for (int k = 1; k < 500; k++)
        {
            term *= quarterSquare / (k * (double)(k + order));
            sum += term;
            if (term <= 1e-17 * sum) break;
        }
        return sum;
    }

    /// <summary>Σ_k (−1)^k a_k(ν) / a^k, the bracket of I_ν(a) ~ e^a/√(2πa)·[…], stopped where its terms stop shrinking.</summary>
    private static double AsymptoticSeries(double a, int order)
    {
        double mu = 4.0 * order * order;
        double term = 1, sum = 1;
        for (int k = 1; k < 200; k++)
        {
            double odd = 2 * k - 1;
            double next = -term * (mu - odd * odd) / (k * 8.0 * a);
            if (Math.Abs(next) >= Math.Abs(term)) break;
            term = next;
            sum += term;
            if (Math.Abs(term) <= 1e-17 * Math.Abs(sum)) break;
        }
        return sum;
    }
}
