namespace Vinfer.Diagnostics;

/// <summary>
/// Fits of one model from several initializations compared by their ELBO estimates: the best fit against the worst,
/// with the Monte Carlo standard error of the gap. Two optima whose ELBOs differ by more than
/// <see cref="NoiseMultiple"/> standard errors and by more than <see cref="Slack"/> nats are different optima (a fit
/// found a worse mode, or stopped far from the optimum); the slack absorbs the jitter a stochastic optimizer leaves in
/// its last iterate, which Monte Carlo error does not cover.
/// </summary>
/// <param name="Elbos">Each restart's ELBO estimate, in restart order.</param>
/// <param name="StandardErrors">Each estimate's Monte Carlo standard error.</param>
/// <param name="Best">Index of the restart with the highest ELBO.</param>
public sealed record RestartComparison(IReadOnlyList<double> Elbos, IReadOnlyList<double> StandardErrors, int Best)
{
    /// <summary>Gaps within this many standard errors are Monte Carlo noise.</summary>
    public const double NoiseMultiple = 4.0;

    /// <summary>Gaps below this many nats count as the same optimum.</summary>
    public const double Slack = 0.5;

    /// <summary>Compares restarts' ELBO estimates (non-finite ones lose).</summary>
    public static RestartComparison Compare(IReadOnlyList<double> elbos, IReadOnlyList<double> standardErrors)
    {
        ArgumentNullException.ThrowIfNull(elbos);
        ArgumentNullException.ThrowIfNull(standardErrors);
        if (elbos.Count == 0 || elbos.Count != standardErrors.Count)
            throw new ArgumentException($"RestartComparison: {elbos.Count} ELBOs and {standardErrors.Count} standard errors; expected one or more of each, as many of each.", nameof(elbos));
        int best = 0;
        for (int i = 1; i < elbos.Count; i++)
            if (double.IsFinite(elbos[i]) && (!double.IsFinite(elbos[best]) || elbos[i] > elbos[best])) best = i;
        return new RestartComparison(elbos, standardErrors, best);
    }

    /// <summary>Index of the restart with the lowest ELBO (non-finite counts as lowest).</summary>
    public int Worst
    {
        get
        {
            int worst = 0;
            for (int i = 1; i < Elbos.Count; i++)
                if (!double.IsFinite(Elbos[i]) || (double.IsFinite(Elbos[worst]) && Elbos[i] < Elbos[worst])) worst = i;
            return worst;
        }
    }

    /// <summary>Best ELBO minus worst ELBO (∞ when a restart failed).</summary>
    public double Gap => double.IsFinite(Elbos[Worst]) ? Elbos[Best] - Elbos[Worst] : double.PositiveInfinity;

    /// <summary>Monte Carlo standard error of <see cref="Gap"/>.</summary>
    public double GapStandardError => Math.Sqrt(StandardErrors[Best] * StandardErrors[Best] + StandardErrors[Worst] * StandardErrors[Worst]);

    /// <summary>True when every restart reached an ELBO within Monte Carlo error (and the slack) of the best.</summary>
    public bool Agree => Gap <= Math.Max(NoiseMultiple * GapStandardError, Slack);
}
