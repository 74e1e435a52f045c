namespace Vinfer.Inference;

/// <summary>
/// The monotonic alpha-divergence update of a Gaussian family in its mean parameters (seed 003, eq. 7; Daudel, Douc
/// &amp; Roueff, JMLR 2023; Bertholom, Douc &amp; Roueff, NeurIPS 2024): a Gaussian is an exponential family with
/// sufficient statistic S(x) = (x, x xᵀ) (diagonal family: (x_j, x_j²)), so the update
/// μ_{k+1} = E_ζ[S] with ζ ∝ q_k^α p^{1−α} sets the new mean to E_ζ[x] and the new covariance to Cov_ζ[x].
/// With damping γ ∈ (0, 1] (the relaxed moment matching of Guilmeau, Chouzenoux &amp; Elvira 2023) the mean
/// parameters move a fraction γ of the way: m' = (1−γ)m + γm̂ and E'[x xᵀ] = (1−γ)(Σ + m mᵀ) + γ(Σ̂ + m̂ m̂ᵀ), that is
/// Σ' = (1−γ)Σ + γΣ̂ + γ(1−γ)(m̂ − m)(m̂ − m)ᵀ. Every γ keeps the decrease of D_α (docs/alpha-moments.md: the surrogate
/// ∫ζ log q is minus a Bregman divergence of A* to E_ζ[S], which decreases along the segment) and γ &lt; 1 keeps Σ'
/// positive definite whatever the sample. ζ is given as weighted points: draws from q with their normalized
/// importance weights (<see cref="AlphaMomentsWeights.Importance"/>) or, in tests, quadrature nodes.
/// </summary>
public static class AlphaMomentsGaussianUpdate
{
    /// <summary>Throws unless 0 &lt; γ ≤ 1.</summary>
    public static void ValidateDamping(double damping, string argumentName = "damping")
    {
        if (!(damping > 0 && damping <= 1))
            throw new ArgumentOutOfRangeException(argumentName, damping, $"alpha-moments: damping must be in (0, 1], got {damping}.");
    }

    /// <summary>
    /// The damped update of a diagonal Gaussian N(mean, diag(variance)) in d dimensions from n points
    /// (<paramref name="points"/> row-major [n, d]) with normalized weights representing ζ.
    /// </summary>
    public static (double[] Mean, double[] Variance) Diagonal(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance,
        ReadOnlySpan<double> points, ReadOnlySpan<double> weights, double damping)
    {
        int d = mean.Length;
        Check(d, variance.Length, points.Length, weights.Length, damping);
        var (m, _) = WeightedMean(d, points, weights);
        var v = new double[d];
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] == 0) continue;
            var x = points.Slice(i * d, d);
            for (int j = 0; j < d; j++) { double c = x[j] - m[j]; v[j] += weights[i] * c * c; }
        }
        var newMean = new double[d];
        var newVariance = new double[d];
        for (int j = 0; j < d; j++)
        {
            double shift = m[j] - mean[j];
            newMean[j] = mean[j] + damping * shift;
            newVariance[j] = (1 - damping) * variance[j] + damping * v[j] + damping * (1 - damping) * shift * shift;
            if (!(newVariance[j] > 0) || !double.IsFinite(newVariance[j]) || !double.IsFinite(newMean[j]))
                throw new InvalidOperationException(
                    $"alpha-moments: the update of coordinate {j} gave mean {newMean[j]}, variance {newVariance[j]} (weights degenerate on one draw with damping 1: use damping < 1 or more samples).");
        }
        return (newMean, newVariance);
    }

    /// <summary>
    /// The damped update of a full-covariance Gaussian N(mean, covariance) (<paramref name="covariance"/> row-major
    /// [d, d]) from weighted points as in <see cref="Diagonal"/>. The result is symmetric.
    /// </summary>
    public static (double[] Mean, double[] Covariance) Full(ReadOnlySpan<double> mean, ReadOnlySpan<double> covariance,
        ReadOnlySpan<double> points, ReadOnlySpan<double> weights, double damping)
    {
        int d = mean.Length;
        Check(d, covariance.Length == d * d ? d : -1, points.Length, weights.Length, damping);
        var (m, _) = WeightedMean(d, points, weights);
        var c = new double[d * d];
        var centred = new double[d];
        for (int i = 0; i < weights.Length; i++)
        {
            double w = weights[i];
            if (w == 0) continue;
            var x = points.Slice(i * d, d);
            for (int j = 0; j < d; j++) centred[j] = x[j] - m[j];
            for (int a = 0; a < d; a++)
            {
                double wa = w * centred[a];
                for (int b = 0; b <= a; b++) c[a * d + b] += wa * centred[b];
            }
        }
        var newMean = new double[d];
        var shift = new double[d];
        for (int j = 0; j < d; j++) { shift[j] = m[j] - mean[j]; newMean[j] = mean[j] + damping * shift[j]; }
        var newCovariance = new double[d * d];
        for (int a = 0; a < d; a++)
            for (int b = 0; b <= a; b++)
            {
                double old = 0.5 * (covariance[a * d + b] + covariance[b * d + a]);
                double v = (1 - damping) * old + damping * c[a * d + b] + damping * (1 - damping) * shift[a] * shift[b];
                newCovariance[a * d + b] = v;
                newCovariance[b * d + a] = v;
            }
        foreach (var v in newCovariance)
            if (!double.IsFinite(v)) throw new InvalidOperationException("alpha-moments: the covariance update is not finite.");
        return (newMean, newCovariance);
    }

    private static void Check(int d, int second, int points, int weights, double damping)
    {
        ValidateDamping(damping);
        if (d < 1) throw new ArgumentException("alpha-moments: the Gaussian has no coordinates.");
        if (second != d) throw new ArgumentException($"alpha-moments: the variance or covariance does not match the dimension {d}.");
        if (weights < 1 || points != weights * d)
            throw new ArgumentException($"alpha-moments: {points} point coordinates do not make {weights} points of dimension {d}.");
    }

    private static (double[] Mean, double Total) WeightedMean(int d, ReadOnlySpan<double> points, ReadOnlySpan<double> weights)
    {
        var m = new double[d];
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double w = weights[i];
            if (!(w >= 0)) throw new ArgumentException($"alpha-moments: weight {i} is {w}; weights must be non-negative.");
            if (w == 0) continue;
            total += w;
            var x = points.Slice(i * d, d);
            for (int j = 0; j < d; j++) m[j] += w * x[j];
        }
        if (Math.Abs(total - 1) > 1e-9) throw new ArgumentException($"alpha-moments: the weights sum to {total}, not 1 (normalize them first).");
        return (m, total);
    }
}
