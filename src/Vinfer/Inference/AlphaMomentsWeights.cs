namespace Vinfer.Inference;

/// <summary>
/// The weights that turn points into the tilted density ζ_α ∝ q^α p^{1−α} of the monotonic alpha-divergence
/// updates (Daudel, Douc &amp; Roueff, "Monotonic alpha-divergence minimisation for variational inference", JMLR 2023;
/// seed 003, eq. 6). Drawn from q, a point x_s has importance weight ζ_α/q ∝ (p(x_s)/q(x_s))^{1−α}; self-normalized
/// (the normalizing constant ∫ q^α p^{1−α} is unknown) these weights estimate E_ζ[S] consistently, with an O(1/S)
/// bias. α follows the convention of Cichocki &amp; Amari (2010) used in the seed:
/// D_α(q‖p) = (∫ q^α p^{1−α} − 1)/(α(α − 1)), so α → 1 is KL(q‖p) (the ELBO's, mode-seeking) and α → 0 is KL(p‖q)
/// (mass-covering); the monotonic updates are defined for 0 ≤ α &lt; 1.
/// </summary>
public static class AlphaMomentsWeights
{
    /// <summary>Throws unless 0 ≤ α &lt; 1 (the range where the update decreases D_α; at α = 1 it does not move).</summary>
    public static void ValidateAlpha(double alpha, string argumentName = "alpha")
    {
        if (!double.IsFinite(alpha) || alpha < 0 || alpha >= 1)
            throw new ArgumentOutOfRangeException(argumentName, alpha,
                $"alpha-moments: alpha must be a finite number in [0, 1), got {alpha} (the update is monotonic only there; alpha = 1 is the ELBO's KL, where it does not move).");
    }

    /// <summary>
    /// Self-normalized weights ∝ (p/q)^{1−α} of points drawn from q, from their log-densities
    /// <paramref name="logTarget"/> (log p, unnormalized is fine) and <paramref name="logGuide"/> (log q).
    /// Non-finite log-ratios (a draw outside the target's support) get weight 0.
    /// </summary>
    public static double[] Importance(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logGuide, double alpha)
    {
        ValidateAlpha(alpha);
        if (logTarget.Length != logGuide.Length)
            throw new ArgumentException($"alpha-moments: {logTarget.Length} log p values but {logGuide.Length} log q values.");
        var log = new double[logTarget.Length];
        for (int i = 0; i < log.Length; i++) log[i] = (1 - alpha) * (logTarget[i] - logGuide[i]);
        return Normalize(log);
    }

    /// <summary>
    /// exp(logWeights) / Σ exp(logWeights), by a stable log-sum-exp; NaN and −∞ entries weigh 0. Throws when no entry
    /// is finite (every draw missed the target's support).
    /// </summary>
    public static double[] Normalize(ReadOnlySpan<double> logWeights)
    {
        double max = double.NegativeInfinity;
        foreach (var v in logWeights)
        {
            if (double.IsPositiveInfinity(v)) throw new ArgumentException("alpha-moments: a log-weight is +∞ (the target density is unbounded at a draw).");
            if (v > max) max = v;
        }
        if (double.IsNegativeInfinity(max)) throw new ArgumentException($"alpha-moments: none of the {logWeights.Length} log-weights is finite.");
        var w = new double[logWeights.Length];
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double v = logWeights[i];
            w[i] = double.IsNaN(v) ? 0 : Math.Exp(v - max);
            sum += w[i];
        }
        for (int i = 0; i < w.Length; i++) w[i] /= sum;
        return w;
    }

    /// <summary>Kish's effective sample size 1/Σ w̄² of normalized weights (between 1 and their count).</summary>
    public static double EffectiveSampleSize(ReadOnlySpan<double> normalizedWeights)
    {
        double s = 0;
        foreach (var w in normalizedWeights) s += w * w;
        return 1 / s;
    }

    /// <summary>
    /// The Monte Carlo estimate of the variational Rényi bound (Li &amp; Turner 2016),
    /// L̂_α = (1/(1−α)) log((1/S) Σ (p/q)^{1−α}). Its exact value is L_α = log Z + log(1 + α(α−1)D_α(q‖p̄))/(1−α)
    /// (Z the evidence, p̄ the normalized posterior), which rises exactly when D_α falls for 0 &lt; α &lt; 1: it monitors
    /// the iterations (the estimate is biased low by Jensen's inequality, by O(1/S)).
    /// </summary>
    public static double RenyiBound(ReadOnlySpan<double> logTarget, ReadOnlySpan<double> logGuide, double alpha)
    {
        ValidateAlpha(alpha);
        double max = double.NegativeInfinity;
        var log = new double[logTarget.Length];
        for (int i = 0; i < log.Length; i++)
        {
            log[i] = (1 - alpha) * (logTarget[i] - logGuide[i]);
            if (double.IsNaN(log[i])) log[i] = double.NegativeInfinity;
            if (log[i] > max) max = log[i];
        }
        if (double.IsNegativeInfinity(max)) return double.NegativeInfinity;
        double sum = 0;
        foreach (var v in log) sum += Math.Exp(v - max);
        return (max + Math.Log(sum / log.Length)) / (1 - alpha);
    }
}
