namespace Vinfer.Diagnostics;

/// <summary>
/// How far PSIS reweighting (Vehtari et al. 2024) moves a posterior mean away from the approximation's own mean, in
/// the approximation's sds, with the Monte Carlo standard error of the reweighted mean. When q is close to the
/// posterior the importance weights are nearly constant and the shift is Monte Carlo noise; a shift well beyond it
/// estimates q's own bias in that mean (Yao et al. 2018 §3 use the same weights to correct it). Where k̂ is only
/// usable the correction is itself incomplete (truncated weights pull the estimate toward q), so the shift is then a
/// lower bound on the plain mean's error: the check that catches a mean-field fit of the centred eight schools 0.94 sd
/// off at k̂ = 0.69 (its PSIS means move μ by 0.69 ± 0.23 of its sd).
/// </summary>
/// <param name="Parameter">The parameter whose mean moves the most.</param>
/// <param name="Shift">|reweighted mean − plain mean| / plain sd.</param>
/// <param name="StandardError">The reweighted mean's MCSE / plain sd.</param>
public sealed record ReweightingShift(string Parameter, double Shift, double StandardError)
{
    /// <summary>Shifts within this many standard errors are Monte Carlo noise.</summary>
    public const double NoiseMultiple = 2.0;

    /// <summary>
    /// The shift, in the approximation's sds, above which a (statistically significant) move counts as a biased plain
    /// mean: half of the 0.5 sd that issue 13 counts as a failed mean, since a partial (k̂ ≥ 0.5) correction
    /// understates the bias.
    /// </summary>
    public const double Threshold = 0.25;

    /// <summary>
    /// True when the move is both beyond Monte Carlo noise (more than <see cref="NoiseMultiple"/> standard errors) and
    /// material (more than <see cref="Threshold"/> sd).
    /// </summary>
    public bool Significant => Shift > NoiseMultiple * StandardError && Shift > Threshold;

    /// <summary>
    /// The parameter with the largest significant shift (or, when none is significant, the largest shift), from the
    /// plain summaries and the reweighted moments (matched by name); null when no parameter has a positive plain sd
    /// and finite moments.
    /// </summary>
    public static ReweightingShift? Largest(IReadOnlyList<PosteriorSummary> plain, IReadOnlyList<ReweightedMoments> reweighted)
    {
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(reweighted);
        var byName = new Dictionary<string, ReweightedMoments>(reweighted.Count);
        foreach (var m in reweighted) byName[m.Name] = m;
        ReweightingShift? largest = null;
        foreach (var s in plain)
        {
            if (!(s.Sd > 0) || !byName.TryGetValue(s.Name, out var m) || !double.IsFinite(m.Mean) || !double.IsFinite(m.Mcse)) continue;
            var shift = new ReweightingShift(s.Name, Math.Abs(m.Mean - s.Mean) / s.Sd, m.Mcse / s.Sd);
            if (largest is null || (shift.Significant, shift.Shift).CompareTo((largest.Significant, largest.Shift)) > 0) largest = shift;
        }
        return largest;
    }
}
