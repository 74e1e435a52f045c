namespace Vinfer.Objectives;

/// <summary>
/// The log evidence bracketed from a set of importance log-ratios log w_i = log p(x, z_i) − log q(z_i), z_i ~ q:
/// the ELBO (mean of log w), the IWAE bound with K samples (Burda et al. 2016; the draws split into ⌊n/K⌋ groups of K,
/// the mean of the groups' log-mean-exps) and the χ² upper bound CUBO₂ = (1/2) log mean w² (Dieng et al. 2017).
/// ELBO ≤ IWAE_K ≤ log p(x) in expectation, and CUBO ≥ log p(x) up to its finite-sample downward bias.
/// </summary>
public sealed record EvidenceEstimates(double Elbo, double Iwae, int IwaeSamples, double Cubo)
{
    /// <summary>Estimates from log-ratios; <paramref name="importanceSamples"/> is K of the IWAE estimate (at most n).</summary>
    public static EvidenceEstimates FromLogRatios(ReadOnlySpan<double> logRatios, int importanceSamples)
    {
        int n = logRatios.Length;
        if (n < 1) throw new ArgumentException("EvidenceEstimates: no log-ratios.", nameof(logRatios));
        if (importanceSamples < 1 || importanceSamples > n)
            throw new ArgumentOutOfRangeException(nameof(importanceSamples), $"EvidenceEstimates: K must be in 1…{n} (the number of log-ratios), got {importanceSamples}.");
        double elbo = ImportanceWeightedObjective.BoundOf(logRatios, 1.0);
        int groups = n / importanceSamples;
        double iwae = 0;
        for (int g = 0; g < groups; g++) iwae += ImportanceWeightedObjective.BoundOf(logRatios.Slice(g * importanceSamples, importanceSamples), 0.0);
        iwae /= groups;
        double cubo = ImportanceWeightedObjective.BoundOf(logRatios, -1.0);
        return new EvidenceEstimates(elbo, iwae, importanceSamples, cubo);
    }
}
