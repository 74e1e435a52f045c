namespace Vinfer.Inference;

/// <summary>
/// Stan's ADVI convergence rule (Kucukelbir et al. 2017, section 3.3; stan/variational/advi.hpp): every
/// <c>eval_elbo</c> iterations the caller records the ELBO; the relative change |(ELBO_prev − ELBO)/ELBO| goes into
/// a circular window of the last <see cref="WindowSize"/> changes, and the optimization has converged when the
/// mean or the median of the window falls below <see cref="Tolerance"/> (tol_rel_obj). As in Stan, the ELBO before
/// the first record counts as 0, so the first relative change is 1, and the median of an even-sized window is its
/// upper middle element. The rule is Stan's; what differs is the ELBO estimate the loop records: Stan draws fresh
/// Monte Carlo draws for each evaluation, <see cref="FitLoop"/> the same draws at every evaluation of a run (common
/// random numbers), so that a relative change measures the fit's change and not two estimates' independent noise
/// (on eight schools that noise alone, about 0.3 nats at |ELBO| ≈ 31.5, is the tolerance's size).
/// </summary>
public sealed class ConvergenceMonitor
{
    private readonly double[] _window;
    private readonly double[] _sortBuffer;
    private int _count;
    private int _next;
    private double _previous;

    /// <summary>Creates the monitor.</summary>
    /// <param name="tolerance">tol_rel_obj (Stan's default 0.01).</param>
    /// <param name="windowSize">Number of relative changes kept (Stan: max(0.1·max_iterations/eval_elbo, 2)).</param>
    public ConvergenceMonitor(double tolerance = 0.01, int windowSize = 2)
    {
        if (!(tolerance > 0) || double.IsInfinity(tolerance)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tol_rel_obj must be finite and positive");
        if (windowSize < 1) throw new ArgumentOutOfRangeException(nameof(windowSize), windowSize, "window size must be at least 1");
        Tolerance = tolerance;
        _window = new double[windowSize];
        _sortBuffer = new double[windowSize];
    }

    /// <summary>Stan's window for <paramref name="maxIterations"/> iterations with the ELBO evaluated every <paramref name="evalElbo"/>.</summary>
    public static ConvergenceMonitor ForStan(int maxIterations = 10000, int evalElbo = 100, double tolerance = 0.01)
    {
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "must be positive");
        if (evalElbo < 1) throw new ArgumentOutOfRangeException(nameof(evalElbo), evalElbo, "must be positive");
        return new ConvergenceMonitor(tolerance, (int)Math.Max(0.1 * maxIterations / evalElbo, 2.0));
    }

    /// <summary>tol_rel_obj.</summary>
    public double Tolerance { get; }

    /// <summary>Capacity of the window of relative changes.</summary>
    public int WindowSize => _window.Length;

    /// <summary>Number of ELBO values recorded.</summary>
    public int Evaluations { get; private set; }

    /// <summary>The most recent relative change (∞ before the first record).</summary>
    public double RelativeChange { get; private set; } = double.PositiveInfinity;

    /// <summary>Mean of the relative changes in the window (∞ before the first record).</summary>
    public double MeanRelativeChange { get; private set; } = double.PositiveInfinity;

    /// <summary>Median of the relative changes in the window (∞ before the first record).</summary>
    public double MedianRelativeChange { get; private set; } = double.PositiveInfinity;

    /// <summary>True when the mean of the window is below the tolerance.</summary>
    public bool MeanConverged => MeanRelativeChange < Tolerance;

    /// <summary>True when the median of the window is below the tolerance.</summary>
    public bool MedianConverged => MedianRelativeChange < Tolerance;

    /// <summary>True when the mean or the median converged.</summary>
    public bool Converged => MeanConverged || MedianConverged;

    /// <summary>Stan's warning: after more than 10 evaluations the mean or median relative change still exceeds 0.5.</summary>
    public bool MayBeDiverging => Evaluations > 10 && (MeanRelativeChange > 0.5 || MedianRelativeChange > 0.5);

    /// <summary>Records an ELBO evaluation and returns <see cref="Converged"/>.</summary>
    public bool Record(double elbo)
    {
        double change = Math.Abs((_previous - elbo) / elbo);
        _previous = elbo;
        Evaluations++;
        RelativeChange = change;
        _window[_next] = change;
        _next = (_next + 1) % _window.Length;
        if (_count < _window.Length) _count++;

        double sum = 0;
        for (int i = 0; i < _count; i++) sum += _window[i];
        MeanRelativeChange = sum / _count;
        var sorted = _sortBuffer.AsSpan(0, _count);
        _window.AsSpan(0, _count).CopyTo(sorted);
        sorted.Sort();
        MedianRelativeChange = sorted[_count / 2];
        return Converged;
    }

    /// <summary>Clears the history (e.g. after restarting from a checkpoint with a smaller step size).</summary>
    public void Reset()
    {
        _count = _next = 0;
        _previous = 0;
        Evaluations = 0;
        RelativeChange = MeanRelativeChange = MedianRelativeChange = double.PositiveInfinity;
    }
}
