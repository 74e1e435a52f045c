namespace Vinfer.Diagnostics;

/// <summary>
/// Importance-reweighted posterior means and standard deviations of each scalar parameter from draws of a proposal
/// (a variational approximation) and their PSIS-smoothed weights: the estimates Yao, Vehtari, Simpson &amp; Gelman
/// (2018, "Yes, but did it work?", §3) recommend when k̂ &lt; 0.7. The Monte Carlo standard error of a self-normalized
/// mean is √(Σ wᵢ²(xᵢ − μ̂)²) (Vehtari et al. 2024, eq. 6 with r_eff = 1); the effective sample size is 1/Σ wᵢ².
/// </summary>
/// <param name="Name">The parameter (Stan name).</param>
/// <param name="Mean">Weighted mean.</param>
/// <param name="Sd">Weighted standard deviation.</param>
/// <param name="Mcse">Monte Carlo standard error of <paramref name="Mean"/>.</param>
public sealed record ReweightedMoments(string Name, double Mean, double Sd, double Mcse)
{
    /// <summary>Effective sample size 1/Σ wᵢ² of normalized log weights.</summary>
    public static double EffectiveSampleSize(ReadOnlySpan<double> normalizedLogWeights)
    {
        double sum = 0;
        foreach (var lw in normalizedLogWeights) sum += Math.Exp(2 * lw);
        return 1 / sum;
    }

    /// <summary>
    /// The weighted moments of every column of the row-major draws × parameters array, with weights
    /// exp(<paramref name="normalizedLogWeights"/>) that sum to one.
    /// </summary>
    public static IReadOnlyList<ReweightedMoments> Compute(IReadOnlyList<string> names, ReadOnlySpan<double> rowMajorDraws, ReadOnlySpan<double> normalizedLogWeights)
    {
        ArgumentNullException.ThrowIfNull(names);
        int p = names.Count, n = normalizedLogWeights.Length;
        if (p == 0) return [];
        if (rowMajorDraws.Length != n * p)
            throw new ArgumentException($"ReweightedMoments: {rowMajorDraws.Length} values are not {n} draws of {p} parameters", nameof(rowMajorDraws));
        var weights = new double[n];
        for (int i = 0; i < n; i++) weights[i] = Math.Exp(normalizedLogWeights[i]);
        var result = new ReweightedMoments[p];
        for (int j = 0; j < p; j++)
        {
            // a draw of weight 0 does not count, even where its value is ±∞ (an overflowed draw the model gave log p = −∞)
            double mean = 0;
            for (int i = 0; i < n; i++) if (weights[i] > 0) mean += weights[i] * rowMajorDraws[i * p + j];
            double variance = 0, squaredError = 0;
            for (int i = 0; i < n; i++)
            {
                if (weights[i] == 0) continue;
                double d = rowMajorDraws[i * p + j] - mean;
                variance += weights[i] * d * d;
                squaredError += weights[i] * weights[i] * d * d;
            }
            result[j] = new ReweightedMoments(names[j], mean, Math.Sqrt(variance), Math.Sqrt(squaredError));
        }
        return result;
    }
}
