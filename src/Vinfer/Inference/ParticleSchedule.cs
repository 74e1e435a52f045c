namespace Vinfer.Inference;

/// <summary>
/// How many Monte Carlo particles an ADVI step uses, from how far the fit still is from converging: few while the
/// objective still moves a lot, the full count once it has settled. The statistic is the convergence rule's own, the
/// relative ELBO change r of the last evaluation (<see cref="ConvergenceMonitor.RelativeChange"/>), and the count is
/// S(r) = clamp(⌈S_max · tol / r⌉, S_min, S_max): S_max once r reaches Stan's tolerance tol, S_min while r ≥ tol·S_max.
/// Why 1/r: the "norm test" of adaptive sample sizes (Byrd, Chin, Nocedal &amp; Wu, "Sample size selection in
/// optimization methods for machine learning", Math. Program. 2012) asks for S ≥ tr Var[∇̂] / (θ² ‖∇‖²), so that
/// the noise stays a fixed fraction of the gradient; near an optimum ‖∇‖² is proportional to the objective's gap,
/// which the relative change per evaluation block tracks, so the needed S grows as 1/r. Far from the optimum one
/// particle already gives a gradient whose direction is right, and the per-step cost it saves is the fit's main cost
/// on data-heavy models. The count changes only at evaluations and is a function of the monitor's history, so a run
/// resumed from a checkpoint (which replays the evaluations) uses the same counts as one that never stopped.
/// </summary>
public sealed class ParticleSchedule
{
    /// <summary>A schedule from <paramref name="minimum"/> to <paramref name="maximum"/> particles, reaching the maximum at relative change <paramref name="tolerance"/>.</summary>
    public ParticleSchedule(int minimum, int maximum, double tolerance)
    {
        if (minimum < 1) throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "ParticleSchedule: the minimum must be at least 1.");
        if (maximum < minimum) throw new ArgumentOutOfRangeException(nameof(maximum), maximum, $"ParticleSchedule: the maximum must be at least the minimum ({minimum}).");
        if (!(tolerance > 0) || double.IsInfinity(tolerance)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "ParticleSchedule: the tolerance must be finite and positive.");
        Minimum = minimum;
        Maximum = maximum;
        Tolerance = tolerance;
    }

    /// <summary>Particles while the fit is far from converging (and before the first evaluation).</summary>
    public int Minimum { get; }

    /// <summary>Particles once the relative change is at most <see cref="Tolerance"/> (and in the averaging phase).</summary>
    public int Maximum { get; }

    /// <summary>The relative change at which the count reaches <see cref="Maximum"/> (the convergence rule's tol_rel_obj).</summary>
    public double Tolerance { get; }

    /// <summary>The count for the last relative change <paramref name="relativeChange"/> (∞ or NaN before any evaluation: <see cref="Minimum"/>).</summary>
    public int ParticlesFor(double relativeChange)
    {
        if (double.IsNaN(relativeChange) || double.IsPositiveInfinity(relativeChange)) return Minimum;
        if (relativeChange <= Tolerance) return Maximum;
        double wanted = Math.Ceiling(Maximum * Tolerance / relativeChange);
        return (int)Math.Clamp(wanted, Minimum, Maximum);
    }

    /// <summary>The count for the monitor's state (<see cref="Minimum"/> without a monitor or before its first record).</summary>
    public int ParticlesFor(ConvergenceMonitor? monitor) => monitor is null ? Minimum : ParticlesFor(monitor.RelativeChange);
}
