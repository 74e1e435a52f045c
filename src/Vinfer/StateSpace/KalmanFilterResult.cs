namespace Vinfer.StateSpace;

/// <summary>
/// Output of <see cref="KalmanFilter"/> for T observations: predicted and filtered moments for t = 0..T
/// (index 0 holds the initial distribution in both), row-major per time step, and the exact log-likelihood.
/// </summary>
public sealed class KalmanFilterResult
{
    /// <summary>Allocates a result for T = <paramref name="length"/> observations and state dimension n (reusable across filter calls).</summary>
    public KalmanFilterResult(int length, int stateDimension)
    {
        Length = length;
        StateDimension = stateDimension;
        int n = stateDimension;
        PredictedMeans = new double[(length + 1) * n];
        PredictedCovariances = new double[(length + 1) * n * n];
        FilteredMeans = new double[(length + 1) * n];
        FilteredCovariances = new double[(length + 1) * n * n];
    }

    /// <summary>T, the number of observations.</summary>
    public int Length { get; }

    /// <summary>n, the state dimension.</summary>
    public int StateDimension { get; }

    /// <summary>E[x_t | y_{1:t-1}], (T+1)×n.</summary>
    public double[] PredictedMeans { get; }

    /// <summary>Cov[x_t | y_{1:t-1}], (T+1)×n×n.</summary>
    public double[] PredictedCovariances { get; }

    /// <summary>E[x_t | y_{1:t}], (T+1)×n.</summary>
    public double[] FilteredMeans { get; }

    /// <summary>Cov[x_t | y_{1:t}], (T+1)×n×n.</summary>
    public double[] FilteredCovariances { get; }

    /// <summary>log p(y_{1:T}), the exact log-likelihood from the prediction-error decomposition.</summary>
    public double LogLikelihood { get; internal set; }
}
