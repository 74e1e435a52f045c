namespace Vinfer.StateSpace;

/// <summary>
/// Common driver of the EM-type algorithms for the AR(1)-plus-noise model: each iteration is an E-step (the best q in
/// the method's family for the current θ) followed by the closed-form M-step. Subclasses own their O(T) buffers, so
/// iterating allocates nothing; instances are not thread-safe.
/// </summary>
/// <remarks>Dempster, Laird &amp; Rubin (1977); Neal &amp; Hinton (1998) for the variational view of EM.</remarks>
public abstract class Ar1EmAlgorithm
{
    private readonly double[] _observations;

    /// <summary>Validates and copies the series; X_0 = <paramref name="x0"/> is known.</summary>
    protected Ar1EmAlgorithm(ReadOnlySpan<double> observations, double x0)
    {
        if (observations.Length == 0)
            throw new ArgumentException("Ar1EmAlgorithm: the series is empty.", nameof(observations));
        for (int i = 0; i < observations.Length; i++)
            if (!double.IsFinite(observations[i]))
                throw new ArgumentException($"Ar1EmAlgorithm: observation {i + 1} is {observations[i]}, expected a finite number.", nameof(observations));
        if (!double.IsFinite(x0))
            throw new ArgumentException($"Ar1EmAlgorithm: x0 is {x0}, expected a finite number.", nameof(x0));
        _observations = observations.ToArray();
        X0 = x0;
    }

    /// <summary>The method's short name: "em", "vem" or "structured".</summary>
    public abstract string Name { get; }

    /// <summary>Y_{1:T}.</summary>
    public ReadOnlySpan<double> Observations => _observations;

    /// <summary>The known initial state X_0.</summary>
    public double X0 { get; }

    /// <summary>T.</summary>
    public int Length => _observations.Length;

    /// <summary>
    /// One iteration from θ_k: the E-step q_{k+1} = argmax_q ELBO(θ_k, q), then θ_{k+1} = argmax_θ ELBO(θ, q_{k+1}).
    /// <paramref name="objective"/> receives ELBO(θ_k, q_{k+1}) (for EM, the exact log p_{θ_k}(Y)).
    /// </summary>
    public abstract Ar1NoiseModel Step(in Ar1NoiseModel theta, out double objective);

    /// <summary>max_q ELBO(θ, q) over the method's family (for EM and the structured family, log p_θ(Y) itself).</summary>
    public abstract double OptimalElbo(in Ar1NoiseModel theta);

    /// <summary>The exact log-likelihood log p_θ(Y_{1:T}) by the scalar Kalman filter.</summary>
    public double LogLikelihood(in Ar1NoiseModel theta) => ScalarKalmanSmoother.LogLikelihood(_observations, theta, X0);

    /// <summary>Runs exactly <paramref name="iterations"/> iterations from <paramref name="initial"/> and returns the last θ.</summary>
    public Ar1NoiseModel Iterate(in Ar1NoiseModel initial, int iterations)
    {
        var theta = initial;
        for (int k = 0; k < iterations; k++)
            theta = Step(theta, out _);
        return theta;
    }

    /// <summary>
    /// Iterates from <paramref name="initial"/> until the objective changes by at most
    /// <paramref name="tolerance"/> × (1 + |objective|) or <paramref name="maxIterations"/> is reached.
    /// </summary>
    public Ar1FitResult Fit(in Ar1NoiseModel initial, int maxIterations = 10_000, double tolerance = 1e-10)
    {
        initial.Validate(nameof(initial));
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "must be at least 1.");
        if (!(tolerance >= 0.0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "must be non-negative.");
        var theta = initial;
        double previous = double.NegativeInfinity;
        bool converged = false;
        int k = 0;
        while (k < maxIterations)
        {
            theta = Step(theta, out double objective);
            k++;
            if (!theta.IsValid) break;
            if (Math.Abs(objective - previous) <= tolerance * (1.0 + Math.Abs(objective)))
            {
                converged = true;
                break;
            }
            previous = objective;
        }
        return new Ar1FitResult(Name, theta, LogLikelihood(theta), theta.IsValid ? OptimalElbo(theta) : double.NaN, k, converged);
    }

    /// <summary>Creates the algorithm named "em", "vem" or "structured".</summary>
    public static Ar1EmAlgorithm Create(string method, ReadOnlySpan<double> observations, double x0) => method switch
    {
        "em" => new ExpectationMaximization(observations, x0),
        "vem" => new MeanFieldVariationalEm(observations, x0),
        "structured" => new StructuredVariationalEm(observations, x0),
        _ => throw new ArgumentException($"Ar1EmAlgorithm: unknown method '{method}'; expected em, vem or structured.", nameof(method)),
    };
}
