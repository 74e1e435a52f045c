using Vinfer.Random;

namespace Vinfer.Inference;

/// <summary>
/// Draws from the importance-weighted posterior q_IW (Cremer, Morris and Duvenaud, "Reinterpreting importance-weighted
/// autoencoders", ICLR workshop 2017): for each output draw, K proposals from the guide, one kept with probability
/// w_k / Σ_j w_j. As K grows q_IW approaches the posterior; it is what an IWAE-trained guide is implicitly fitted for.
/// The kept draws keep their log p and log q.
/// </summary>
public static class ImportanceResampling
{
    /// <summary>Keeps one draw per consecutive group of <paramref name="importanceSamples"/> proposals.</summary>
    public static PosteriorDraws Resample(PosteriorDraws proposals, int importanceSamples, RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(proposals);
        if (importanceSamples < 1 || proposals.Count % importanceSamples != 0)
            throw new ArgumentOutOfRangeException(nameof(importanceSamples),
                $"ImportanceResampling: K must be at least 1 and divide the {proposals.Count} proposals, got {importanceSamples}.");
        int groups = proposals.Count / importanceSamples, width = proposals.Names.Length;
        var ratios = proposals.LogRatios();
        var values = new double[groups * width];
        var logP = new double[groups];
        var logQ = new double[groups];
        var uniform = new double[groups];
        Sample.Uniform(random.NextKey(), uniform);
        for (int g = 0; g < groups; g++)
        {
            int start = g * importanceSamples;
            double max = double.NegativeInfinity;
            for (int k = 0; k < importanceSamples; k++) max = Math.Max(max, ratios[start + k]);
            double total = 0;
            for (int k = 0; k < importanceSamples; k++) total += double.IsNegativeInfinity(max) ? 1 : Math.Exp(ratios[start + k] - max);
            double target = uniform[g] * total, cumulative = 0;
            int chosen = importanceSamples - 1;
            for (int k = 0; k < importanceSamples; k++)
            {
                cumulative += double.IsNegativeInfinity(max) ? 1 : Math.Exp(ratios[start + k] - max);
                if (target < cumulative) { chosen = k; break; }
            }
            int row = start + chosen;
            Array.Copy(proposals.Values, row * width, values, g * width, width);
            logP[g] = proposals.LogP[row];
            logQ[g] = proposals.LogQ[row];
        }
        return new PosteriorDraws(proposals.Names, values, logP, logQ);
    }
}
