using Vinfer.Tensors.Kernels;

namespace Vinfer.Diagnostics;

/// <summary>
/// Fits a generalized Pareto distribution (location 0) to exceedances by the empirical-Bayes method of
/// Zhang &amp; Stephens (2009), "A new and efficient estimation method for the generalized Pareto distribution",
/// Technometrics 51(3), as implemented in the loo package (gpdfit): a posterior mean of θ = −ξ/σ over a grid of
/// M = 30 + ⌊√n⌋ points, ξ̂ = mean(log1p(−θ̂x)), σ̂ = −ξ̂/θ̂, and the weakly informative prior that shrinks ξ̂
/// towards 0.5 by ξ̂·n/(n+10) + 0.5·10/(n+10) (Vehtari et al. 2024, appendix).
/// </summary>
public static class GeneralizedParetoFit
{
    /// <summary>Fits (ξ̂, σ̂) to <paramref name="sortedExceedances"/>, non-negative and sorted ascending.</summary>
    /// <param name="sortedExceedances">The tail values minus the threshold, ascending.</param>
    /// <param name="regularize">Apply loo's prior adjustment of ξ̂ (default true).</param>
    /// <returns>The shape ξ̂ (k̂; ∞ when the fit fails) and the scale σ̂.</returns>
    public static (double Shape, double Scale) Fit(ReadOnlySpan<double> sortedExceedances, bool regularize = true)
    {
        var x = sortedExceedances;
        int n = x.Length;
        if (n < 2) throw new ArgumentException("at least two exceedances are needed to fit a generalized Pareto distribution", nameof(sortedExceedances));
        for (int i = 1; i < n; i++)
            if (!(x[i] >= x[i - 1])) throw new ArgumentException("exceedances must be sorted ascending and not NaN", nameof(sortedExceedances));
        if (!(x[0] >= 0)) throw new ArgumentException("exceedances must be non-negative", nameof(sortedExceedances));
        if (!(x[n - 1] > 0)) return (double.PositiveInfinity, double.NaN);

        const double prior = 3;
        int m = 30 + (int)Math.Floor(Math.Sqrt(n));
        double xStar = x[(int)Math.Floor(n / 4.0 + 0.5) - 1]; // first quartile (1-based index in loo)
        if (!(xStar > 0)) xStar = FirstPositive(x);
        Span<double> theta = m <= 512 ? stackalloc double[m] : new double[m];
        Span<double> logLik = m <= 512 ? stackalloc double[m] : new double[m];
        double maxLogLik = double.NegativeInfinity;
        for (int j = 0; j < m; j++)
        {
            theta[j] = 1 / x[n - 1] + (1 - Math.Sqrt(m / (j + 0.5))) / prior / xStar;
            logLik[j] = n * ProfileLogLikelihood(theta[j], x);
            if (logLik[j] > maxLogLik) maxLogLik = logLik[j];
        }
        // weights ∝ exp(l(θ)) normalized with log-sum-exp; θ̂ = Σ wθ
        double sumW = 0, sumWTheta = 0;
        for (int j = 0; j < m; j++)
        {
            if (double.IsNaN(logLik[j]) || double.IsNegativeInfinity(logLik[j])) continue;
            double w = Math.Exp(logLik[j] - maxLogLik);
            sumW += w;
            sumWTheta += w * theta[j];
        }
        double thetaHat = sumWTheta / sumW;
        double k = 0;
        for (int i = 0; i < n; i++) k += SpecialFunctions.Log1p(-thetaHat * x[i]);
        k /= n;
        double sigma = -k / thetaHat;
        if (regularize) k = k * n / (n + 10.0) + 10 * 0.5 / (n + 10.0);
        if (double.IsNaN(k)) k = double.PositiveInfinity;
        return (k, sigma);
    }

    private static double FirstPositive(ReadOnlySpan<double> x)
    {
        foreach (var v in x) if (v > 0) return v;
        return 1;
    }

    /// <summary>loo's lx: the profile log-likelihood per observation at θ, log(−θ/k) − k − 1 with k = mean(log1p(−θx)).</summary>
    private static double ProfileLogLikelihood(double theta, ReadOnlySpan<double> x)
    {
        double a = -theta;
        double k = 0;
        for (int i = 0; i < x.Length; i++) k += SpecialFunctions.Log1p(a * x[i]);
        k /= x.Length;
        return Math.Log(a / k) - k - 1;
    }

    /// <summary>Quantile function of the generalized Pareto distribution (location 0): σ·expm1(−ξ·log1p(−p))/ξ.</summary>
    public static double Quantile(double p, double shape, double scale)
    {
        if (!(scale > 0)) return double.NaN;
        if (shape == 0) return -scale * SpecialFunctions.Log1p(-p);
        return scale * SpecialFunctions.Expm1(-shape * SpecialFunctions.Log1p(-p)) / shape;
    }
}
