namespace Vinfer.StateSpace;

/// <summary>
/// Output of <see cref="RtsSmoother"/>: the smoothed marginals E[x_t | y_{1:T}], Cov[x_t | y_{1:T}] for t = 0..T,
/// the lag-one cross-covariances Cov[x_t, x_{t-1} | y_{1:T}] for t = 1..T (index 0 is zero), row-major, and the
/// exact log-likelihood.
/// </summary>
public sealed class SmoothedStates
{
    /// <summary>Allocates smoother output for T = <paramref name="length"/> observations and state dimension n (reusable).</summary>
    public SmoothedStates(int length, int stateDimension)
    {
        Length = length;
        StateDimension = stateDimension;
        int n = stateDimension;
        Means = new double[(length + 1) * n];
        Covariances = new double[(length + 1) * n * n];
        LagOneCovariances = new double[(length + 1) * n * n];
    }

    /// <summary>T, the number of observations.</summary>
    public int Length { get; }

    /// <summary>n, the state dimension.</summary>
    public int StateDimension { get; }

    /// <summary>E[x_t | y_{1:T}], (T+1)×n.</summary>
    public double[] Means { get; }

    /// <summary>Cov[x_t | y_{1:T}], (T+1)×n×n.</summary>
    public double[] Covariances { get; }

    /// <summary>Cov[x_t, x_{t-1} | y_{1:T}] (entry (i, j) = Cov[x_t,i, x_{t-1},j]), (T+1)×n×n; index 0 is zero.</summary>
    public double[] LagOneCovariances { get; }

    /// <summary>log p(y_{1:T}).</summary>
    public double LogLikelihood { get; internal set; }

    /// <summary>The smoothed mean of x_t as a span of length n.</summary>
    public ReadOnlySpan<double> Mean(int t) => Means.AsSpan(t * StateDimension, StateDimension);

    /// <summary>The smoothed covariance of x_t as a row-major n×n span.</summary>
    public ReadOnlySpan<double> Covariance(int t) => Covariances.AsSpan(t * StateDimension * StateDimension, StateDimension * StateDimension);

    /// <summary>Cov[x_t, x_{t-1} | y_{1:T}] as a row-major n×n span.</summary>
    public ReadOnlySpan<double> LagOneCovariance(int t) => LagOneCovariances.AsSpan(t * StateDimension * StateDimension, StateDimension * StateDimension);
}
