namespace Vinfer.Diagnostics;

/// <summary>
/// Pareto-smoothed importance sampling (Vehtari, Simpson, Gelman, Yao &amp; Gabry 2024, "Pareto smoothed
/// importance sampling", JMLR 25), as in the loo package's psis(): the M = ⌈min(0.2S, 3√(S/r_eff))⌉ largest
/// importance ratios are replaced by the expected order statistics of a generalized Pareto distribution fitted
/// to them (<see cref="GeneralizedParetoFit"/>), and all weights are truncated at the largest raw weight. The
/// fitted shape k̂ is the diagnostic: it estimates the number of finite moments of the ratios (1/k̂) and tells
/// whether the proposal, e.g. a variational approximation, can be trusted (Yao, Vehtari, Simpson &amp; Gelman 2018,
/// "Yes, but did it work?: Evaluating variational inference").
/// One deliberate difference from loo: when the largest ratios are all equal (a proposal equal to the target up to
/// the normalizing constant) loo warns and reports k̂ = ∞; here the weights are bounded, so k̂ = 0 is reported.
/// </summary>
public static class ParetoSmoothedImportanceSampling
{
    /// <summary>
    /// Smooths the log importance ratios log p(x, zₛ) − log q(zₛ).
    /// </summary>
    /// <param name="logRatios">The S log importance ratios (at least 10 finite values; −∞ allowed).</param>
    /// <param name="relativeEfficiency">r_eff, the relative MCMC efficiency (1 for independent draws, as from VI).</param>
    /// <exception cref="ArgumentException">Too few draws, or a NaN or +∞ ratio.</exception>
    public static PsisResult Smooth(ReadOnlySpan<double> logRatios, double relativeEfficiency = 1.0)
    {
        int s = logRatios.Length;
        if (s < 10) throw new ArgumentException($"PSIS needs at least 10 draws, got {s}", nameof(logRatios));
        if (!(relativeEfficiency > 0)) throw new ArgumentOutOfRangeException(nameof(relativeEfficiency), relativeEfficiency, "r_eff must be positive");
        double max = double.NegativeInfinity;
        for (int i = 0; i < s; i++)
        {
            double v = logRatios[i];
            if (double.IsNaN(v) || double.IsPositiveInfinity(v))
                throw new ArgumentException($"log importance ratio {i} is {v}; the model or guide log density is not finite there", nameof(logRatios));
            if (v > max) max = v;
        }
        if (double.IsNegativeInfinity(max)) throw new ArgumentException("every log importance ratio is -Infinity", nameof(logRatios));

        var lw = new double[s];
        for (int i = 0; i < s; i++) lw[i] = logRatios[i] - max;
        int tailLength = (int)Math.Ceiling(Math.Min(0.2 * s, 3 * Math.Sqrt(s / relativeEfficiency)));

        var order = new int[s];
        for (int i = 0; i < s; i++) order[i] = i;
        var sortedValues = (double[])lw.Clone();
        Array.Sort(sortedValues, order);

        double k;
        if (tailLength < 5)
            k = double.PositiveInfinity; // loo: too few tail draws to fit
        else
        {
            int firstTail = s - tailLength;
            double cutoff = sortedValues[firstTail - 1];
            if (sortedValues[s - 1] - sortedValues[firstTail] < 1e-15 * Math.Max(1, Math.Abs(sortedValues[firstTail])))
                k = 0; // the largest ratios are all equal (e.g. q = p up to a constant): bounded weights, nothing to smooth
            else
            {
                double expCutoff = Math.Exp(cutoff);
                var exceedances = new double[tailLength];
                for (int j = 0; j < tailLength; j++)
                    exceedances[j] = Math.Max(0, Math.Exp(sortedValues[firstTail + j]) - expCutoff);
                var (shape, scale) = GeneralizedParetoFit.Fit(exceedances);
                k = shape;
                if (double.IsFinite(shape))
                {
                    for (int j = 0; j < tailLength; j++)
                    {
                        double p = (j + 1 - 0.5) / tailLength;
                        double q = GeneralizedParetoFit.Quantile(p, shape, scale) + expCutoff;
                        lw[order[firstTail + j]] = Math.Log(q);
                    }
                }
            }
        }
        // truncate at the largest raw weight (0 after the shift), then undo the shift
        for (int i = 0; i < s; i++) lw[i] = Math.Min(lw[i], 0) + max;
        return new PsisResult(k, lw, tailLength);
    }

    /// <summary>
    /// The k̂ threshold above which PSIS estimates become unreliable for S draws, min(1 − 1/log₁₀ S, 0.7)
    /// (Vehtari et al. 2024, section 3.2.4).
    /// </summary>
    public static double SampleSizeThreshold(int draws) => draws <= 1 ? 0 : Math.Min(1 - 1 / Math.Log10(draws), 0.7);

    /// <summary>Reads a k̂ as Yao et al. (2018): &lt; 0.5 good, 0.5–0.7 usable, &gt; 0.7 (or not finite) not to be trusted.</summary>
    public static ParetoKReading Read(double kHat) =>
        double.IsNaN(kHat) || kHat > 0.7 ? ParetoKReading.Unreliable : kHat >= 0.5 ? ParetoKReading.Usable : ParetoKReading.Good;

    /// <summary>A one-line description of a reading, for summaries.</summary>
    public static string Describe(ParetoKReading reading) => reading switch
    {
        ParetoKReading.Good => "good (k̂ < 0.5): the approximation is close to the posterior",
        ParetoKReading.Usable => "usable (0.5 ≤ k̂ ≤ 0.7): importance-weighted estimates are reliable, the plain approximation less so",
        _ => "not to be trusted (k̂ > 0.7): the approximation is far from the posterior",
    };
}

/// <summary>How far a k̂ lets one trust the proposal (Yao et al. 2018).</summary>
public enum ParetoKReading
{
    /// <summary>k̂ &lt; 0.5.</summary>
    Good,
    /// <summary>0.5 ≤ k̂ ≤ 0.7.</summary>
    Usable,
    /// <summary>k̂ &gt; 0.7 or the fit failed.</summary>
    Unreliable,
}

/// <summary>Outcome of <see cref="ParetoSmoothedImportanceSampling.Smooth"/>.</summary>
public sealed class PsisResult
{
    internal PsisResult(double kHat, double[] logWeights, int tailLength)
    {
        KHat = kHat;
        _logWeights = logWeights;
        TailLength = tailLength;
    }

    private readonly double[] _logWeights;

    /// <summary>The Pareto shape estimate k̂ (∞ when the tail could not be fitted).</summary>
    public double KHat { get; }

    /// <summary>The reading of <see cref="KHat"/>.</summary>
    public ParetoKReading Reading => ParetoSmoothedImportanceSampling.Read(KHat);

    /// <summary>Number of largest ratios that were smoothed.</summary>
    public int TailLength { get; }

    /// <summary>The smoothed, truncated log weights on the scale of the input ratios (unnormalized).</summary>
    public ReadOnlySpan<double> LogWeights => _logWeights;

    /// <summary>The smoothed log weights normalized to sum to one (stable log-sum-exp).</summary>
    public double[] NormalizedLogWeights()
    {
        double max = double.NegativeInfinity;
        foreach (var v in _logWeights) if (v > max) max = v;
        double sum = 0;
        foreach (var v in _logWeights) sum += Math.Exp(v - max);
        double logSum = max + Math.Log(sum);
        var result = new double[_logWeights.Length];
        for (int i = 0; i < result.Length; i++) result[i] = _logWeights[i] - logSum;
        return result;
    }
}
