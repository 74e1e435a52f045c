namespace Vinfer.StateSpace;

/// <summary>
/// Exact EM for the AR(1)-plus-noise model: the E-step is a scalar Kalman filter + RTS smoother pass that yields the
/// expected sufficient statistics under p_θ(X | Y); the M-step is closed-form (<see cref="Ar1NoiseModel.Maximize"/>).
/// Each iteration cannot decrease log p_θ(Y).
/// </summary>
/// <remarks>
/// Dempster, Laird &amp; Rubin (1977); Shumway &amp; Stoffer (1982), "An approach to time series smoothing and forecasting
/// using the EM algorithm"; Bertholom &amp; Roueff (2025), §3.
/// </remarks>
public sealed class ExpectationMaximization : Ar1EmAlgorithm
{
    private readonly double[] _meanWork, _varianceWork;

    /// <summary>EM on <paramref name="observations"/> with X_0 = <paramref name="x0"/> known.</summary>
    public ExpectationMaximization(ReadOnlySpan<double> observations, double x0) : base(observations, x0)
    {
        _meanWork = new double[Length];
        _varianceWork = new double[Length];
    }

    /// <inheritdoc />
    public override string Name => "em";

    /// <inheritdoc />
    public override Ar1NoiseModel Step(in Ar1NoiseModel theta, out double objective)
    {
        objective = ScalarKalmanSmoother.SmoothStatistics(Observations, theta, X0, _meanWork, _varianceWork, out var statistics);
        return Ar1NoiseModel.Maximize(statistics);
    }

    /// <inheritdoc />
    public override double OptimalElbo(in Ar1NoiseModel theta) => LogLikelihood(theta);
}
