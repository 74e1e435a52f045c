namespace Vinfer.StateSpace;

/// <summary>
/// Structured variational EM with the Gauss–Markov chain family q(X_{1:T}) = q(X_1) ∏ q(X_t | X_{t−1}), parameterized
/// by marginal means, variances and lag-one covariances. The exact posterior of a linear-Gaussian chain lies in this
/// family, so the E-step optimum is the RTS smoother output and the method coincides with EM; its ELBO is evaluated
/// independently in closed form (expected complete log-likelihood + chain entropy), and the variational gap
/// log p_θ(Y) − ELBO closes to rounding.
/// </summary>
/// <remarks>
/// Saul &amp; Jordan (1996), "Exploiting tractable substructures in intractable networks"; Ghahramani &amp; Hinton
/// (2000), "Variational learning for switching state-space models"; Beal (2003), thesis ch. 5.
/// </remarks>
public sealed class StructuredVariationalEm : Ar1EmAlgorithm
{
    private readonly double[] _means, _variances, _lagOne;

    /// <summary>Structured VEM on <paramref name="observations"/> with X_0 = <paramref name="x0"/> known.</summary>
    public StructuredVariationalEm(ReadOnlySpan<double> observations, double x0) : base(observations, x0)
    {
        _means = new double[Length + 1];
        _variances = new double[Length + 1];
        _lagOne = new double[Length + 1];
    }

    /// <inheritdoc />
    public override string Name => "structured";

    /// <summary>Smoothed means of the last E-step, t = 0..T.</summary>
    public ReadOnlySpan<double> Means => _means;

    /// <summary>Smoothed variances of the last E-step, t = 0..T.</summary>
    public ReadOnlySpan<double> Variances => _variances;

    /// <summary>Lag-one covariances Cov[X_t, X_{t−1}] of the last E-step, t = 0..T (index 0 is 0).</summary>
    public ReadOnlySpan<double> LagOneCovariances => _lagOne;

    /// <inheritdoc />
    public override Ar1NoiseModel Step(in Ar1NoiseModel theta, out double objective)
    {
        ScalarKalmanSmoother.Smooth(Observations, theta, X0, _means, _variances, _lagOne);
        var statistics = Statistics(Observations, _means, _variances, _lagOne);
        objective = theta.ExpectedCompleteLogLikelihood(statistics) + ChainEntropy(_variances, _lagOne);
        return Ar1NoiseModel.Maximize(statistics);
    }

    /// <inheritdoc />
    public override double OptimalElbo(in Ar1NoiseModel theta)
    {
        ScalarKalmanSmoother.Smooth(Observations, theta, X0, _means, _variances, _lagOne);
        return ChainElbo(Observations, theta, _means, _variances, _lagOne);
    }

    /// <summary>
    /// ELBO(θ, q) in closed form for a Gauss–Markov chain q given by means, variances and lag-one covariances over
    /// t = 0..T (index 0 the known X_0: variance 0).
    /// </summary>
    public static double ChainElbo(ReadOnlySpan<double> y, in Ar1NoiseModel theta,
        ReadOnlySpan<double> means, ReadOnlySpan<double> variances, ReadOnlySpan<double> lagOneCovariances) =>
        theta.ExpectedCompleteLogLikelihood(Statistics(y, means, variances, lagOneCovariances))
        + ChainEntropy(variances, lagOneCovariances);

    /// <summary>
    /// H(q) = Σ_t ½ log(2πe Var_q[X_t | X_{t−1}]) with Var_q[X_t | X_{t−1}] = v_t − c_t² / v_{t−1} (and v_1 when X_0 is known).
    /// </summary>
    public static double ChainEntropy(ReadOnlySpan<double> variances, ReadOnlySpan<double> lagOneCovariances)
    {
        double log2PiE = Math.Log(2.0 * Math.PI) + 1.0, sum = 0.0;
        for (int t = 1; t < variances.Length; t++)
        {
            double conditional = variances[t - 1] > 0.0
                ? variances[t] - lagOneCovariances[t] * lagOneCovariances[t] / variances[t - 1]
                : variances[t];
            sum += 0.5 * (log2PiE + Math.Log(conditional));
        }
        return sum;
    }

    private static Ar1SufficientStatistics Statistics(ReadOnlySpan<double> y,
        ReadOnlySpan<double> means, ReadOnlySpan<double> variances, ReadOnlySpan<double> lagOne)
    {
        int length = y.Length;
        double sumYY = 0.0, sumYX = 0.0, sumXX = 0.0, sumLag = 0.0;
        for (int t = 1; t <= length; t++)
        {
            sumYY += y[t - 1] * y[t - 1];
            sumYX += y[t - 1] * means[t];
            sumXX += means[t] * means[t] + variances[t];
            sumLag += means[t] * means[t - 1] + lagOne[t];
        }
        double sumXXPrev = sumXX - (means[length] * means[length] + variances[length]) + means[0] * means[0] + variances[0];
        return new Ar1SufficientStatistics(length, sumYY, sumYX, sumXX, sumXXPrev, sumLag);
    }
}
