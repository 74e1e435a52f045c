namespace Vinfer.StateSpace;

/// <summary>
/// A time-invariant linear-Gaussian state-space model
/// <code>
/// x_0 ~ N(m_0, P_0),   x_t = F x_{t-1} + w_t,  w_t ~ N(0, Q),   y_t = H x_t + v_t,  v_t ~ N(0, R),   t = 1..T
/// </code>
/// with an n-dimensional state and p-dimensional observations. Matrices are row-major arrays.
/// P_0 may be zero (a known initial state), Q must be positive semi-definite and R positive definite.
/// </summary>
/// <remarks>Notation follows Särkkä, <i>Bayesian Filtering and Smoothing</i> (2013), ch. 4 and 8.</remarks>
public sealed class LinearGaussianStateSpaceModel
{
    /// <summary>Creates the model, validating shapes and finiteness; the arrays are copied.</summary>
    public LinearGaussianStateSpaceModel(
        int stateDimension, int observationDimension,
        double[] transition, double[] transitionCovariance,
        double[] observation, double[] observationCovariance,
        double[] initialMean, double[] initialCovariance)
    {
        if (stateDimension < 1) throw new ArgumentOutOfRangeException(nameof(stateDimension), stateDimension, "must be at least 1.");
        if (observationDimension < 1) throw new ArgumentOutOfRangeException(nameof(observationDimension), observationDimension, "must be at least 1.");
        int n = stateDimension, p = observationDimension;
        Transition = Checked(transition, n * n, nameof(transition));
        TransitionCovariance = Checked(transitionCovariance, n * n, nameof(transitionCovariance));
        Observation = Checked(observation, p * n, nameof(observation));
        ObservationCovariance = Checked(observationCovariance, p * p, nameof(observationCovariance));
        InitialMean = Checked(initialMean, n, nameof(initialMean));
        InitialCovariance = Checked(initialCovariance, n * n, nameof(initialCovariance));
        StateDimension = n;
        ObservationDimension = p;
    }

    /// <summary>n, the state dimension.</summary>
    public int StateDimension { get; }

    /// <summary>p, the observation dimension.</summary>
    public int ObservationDimension { get; }

    /// <summary>F (n×n).</summary>
    public double[] Transition { get; }

    /// <summary>Q (n×n).</summary>
    public double[] TransitionCovariance { get; }

    /// <summary>H (p×n).</summary>
    public double[] Observation { get; }

    /// <summary>R (p×p).</summary>
    public double[] ObservationCovariance { get; }

    /// <summary>m_0 (n).</summary>
    public double[] InitialMean { get; }

    /// <summary>P_0 (n×n); zero for a known initial state.</summary>
    public double[] InitialCovariance { get; }

    private static double[] Checked(double[] values, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != length)
            throw new ArgumentException($"LinearGaussianStateSpaceModel: {name} has {values.Length} entries, expected {length}.", name);
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"LinearGaussianStateSpaceModel: {name}[{i}] is {values[i]}, expected a finite number.", name);
        return (double[])values.Clone();
    }
}
