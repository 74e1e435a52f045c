namespace Vinfer.Optim;

/// <summary>
/// The step-size adaptation phase of Stan's ADVI (Kucukelbir et al. 2017, section 3.3; stan/variational/advi.hpp,
/// adapt_eta): tries η from a decreasing sequence, each over a short run started afresh from the initial
/// variational parameters, and keeps the one with the best ELBO. As in Stan, the search stops at the first η whose
/// ELBO is worse than the previous one's (when that one beat the initial ELBO), and fails if no η improves on the
/// initial ELBO.
/// </summary>
public sealed class AdviStepSizeAdaptation
{
    /// <summary>Stan's sequence {100, 10, 1, 0.1, 0.01}.</summary>
    public static IReadOnlyList<double> StanEtaSequence { get; } = [100, 10, 1, 0.1, 0.01];

    /// <summary>Creates the adaptation over <paramref name="etaSequence"/> (Stan's when null).</summary>
    public AdviStepSizeAdaptation(IReadOnlyList<double>? etaSequence = null)
    {
        var seq = etaSequence ?? StanEtaSequence;
        if (seq.Count == 0) throw new ArgumentException("the eta sequence is empty", nameof(etaSequence));
        foreach (var e in seq)
            if (!(e > 0) || double.IsInfinity(e)) throw new ArgumentOutOfRangeException(nameof(etaSequence), e, "every eta must be finite and positive");
        EtaSequence = seq;
    }

    /// <summary>The η values tried, in order.</summary>
    public IReadOnlyList<double> EtaSequence { get; }

    /// <summary>
    /// Runs the adaptation. <paramref name="elboAfterRun"/> must restore the initial variational parameters, run the
    /// short adaptation run with the given η (Stan: 50 iterations) and return the ELBO at its end; it may return NaN
    /// or −∞ (or throw <see cref="ArithmeticException"/>) when the run diverged.
    /// </summary>
    /// <param name="initialElbo">The ELBO at the initial variational parameters.</param>
    /// <param name="elboAfterRun">The short run for one η.</param>
    /// <returns>The chosen η and the ELBO of every η tried.</returns>
    /// <exception cref="InvalidOperationException">No η improved on the initial ELBO.</exception>
    public AdviStepSizeAdaptationResult Run(double initialElbo, Func<double, double> elboAfterRun)
    {
        ArgumentNullException.ThrowIfNull(elboAfterRun);
        var tried = new List<KeyValuePair<double, double>>();
        double elboBest = double.MinValue;
        double etaBest = double.NaN;
        for (int i = 0; i < EtaSequence.Count; i++)
        {
            double eta = EtaSequence[i];
            double elbo;
            try { elbo = elboAfterRun(eta); }
            catch (ArithmeticException) { elbo = double.NegativeInfinity; }
            if (double.IsNaN(elbo)) elbo = double.NegativeInfinity;
            tried.Add(new(eta, elbo));
            if (elbo < elboBest && elboBest > initialElbo)
                return new AdviStepSizeAdaptationResult(etaBest, elboBest, tried);
            if (i < EtaSequence.Count - 1)
            {
                elboBest = elbo;
                etaBest = eta;
            }
            else if (elbo > initialElbo)
                return new AdviStepSizeAdaptationResult(eta, elbo, tried);
        }
        throw new InvalidOperationException(
            "ADVI step-size adaptation: every step size tried (" + string.Join(", ", EtaSequence) +
            ") gave an ELBO no better than the initial one; the model may be ill-conditioned or the initial values poor");
    }
}

/// <summary>Outcome of <see cref="AdviStepSizeAdaptation.Run"/>.</summary>
/// <param name="Eta">The chosen η.</param>
/// <param name="Elbo">The ELBO reached with it.</param>
/// <param name="Tried">(η, ELBO) for every η tried, in order.</param>
public sealed record AdviStepSizeAdaptationResult(double Eta, double Elbo, IReadOnlyList<KeyValuePair<double, double>> Tried);
