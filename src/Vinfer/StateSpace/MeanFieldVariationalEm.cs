using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Vinfer.StateSpace;

/// <summary>
/// Mean-field variational EM for the AR(1)-plus-noise model, q(X_{1:T}) = ∏ N(μ_t, v_t). Given θ the optimal q is
/// closed-form: the means solve the symmetric positive-definite tridiagonal system Λ μ = h (Thomas algorithm, O(T))
/// and v_t = 1/Λ_tt, i.e. v_t = σ_h²σ_v² / (σ_h² ζ² + σ_v² (1 + ψ²)) for t &lt; T and σ_h²σ_v² / (σ_h² ζ² + σ_v²) at T;
/// then θ has the closed-form update of <see cref="Ar1NoiseModel.Maximize"/>. The ELBO is closed-form and never
/// decreases across the two coordinate steps. The derivation is in docs/ar1-vem-derivation.md.
/// </summary>
/// <remarks>
/// Bertholom &amp; Roueff (2025), §3 (whose printed b_θ and b′_θ lack the square on ζ); the Thomas algorithm is
/// Gaussian elimination for tridiagonal systems (Golub &amp; Van Loan, <i>Matrix Computations</i>, §4.3.6), stable
/// without pivoting because Λ is symmetric positive definite.
/// </remarks>
public sealed class MeanFieldVariationalEm : Ar1EmAlgorithm
{
    private readonly double[] _ratio, _means;
    private readonly double _sumYY;
    private double _interiorVariance, _lastVariance;

    /// <summary>VEM on <paramref name="observations"/> with X_0 = <paramref name="x0"/> known.</summary>
    public MeanFieldVariationalEm(ReadOnlySpan<double> observations, double x0) : base(observations, x0)
    {
        _ratio = new double[Length];
        _means = new double[Length];
        _sumYY = TensorPrimitives.SumOfSquares(Observations);
    }

    /// <inheritdoc />
    public override string Name => "vem";

    /// <summary>μ_{1:T} of the last E-step.</summary>
    public ReadOnlySpan<double> Means => _means;

    /// <summary>v_t of the last E-step for t &lt; T (all interior variances are equal).</summary>
    public double InteriorVariance => _interiorVariance;

    /// <summary>v_T of the last E-step.</summary>
    public double LastVariance => _lastVariance;

    /// <summary>
    /// The E-step: sets q to argmax_q ELBO(θ, q) and returns its expected sufficient statistics and entropy
    /// H(q) = ½ Σ log(2πe v_t).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Ar1SufficientStatistics UpdateVariational(in Ar1NoiseModel theta, out double entropy)
    {
        ReadOnlySpan<double> y = Observations;
        int length = y.Length;
        double psi = theta.Psi, zeta = theta.Zeta, q = theta.SigmaH2, r = theta.SigmaV2, x0 = X0;
        // Row t of Λ μ = h, scaled by 1/(σ_h²σ_v²): off-diagonal a, diagonal b (b′ in the last row), h_t = c Y_t − a x0 [t = 1].
        double a = -psi / q;
        double b = zeta * zeta / r + (1.0 + psi * psi) / q;
        double bLast = zeta * zeta / r + 1.0 / q;
        double c = zeta / r;
        Span<double> ratio = _ratio, mu = _means;

        // Forward elimination: ratio_t = a / pivot_t, mu holds the eliminated right-hand side d_t. The pivots do not
        // depend on the data; once ratio_t repeats bit for bit, all later interior ratios equal it, so the rest of
        // the sweep reuses it without dividing (exactly the same numbers as continuing the recurrence).
        int last = length - 1;
        double previousRatio = 0.0, previousMu = x0;
        int t = 0, steady = last;
        for (; t < last; t++)
        {
            double inv = 1.0 / (b - a * previousRatio);
            double rt = a * inv;
            double d = (c * y[t] - a * previousMu) * inv;
            ratio[t] = rt;
            mu[t] = d;
            previousMu = d;
            bool repeated = rt == previousRatio;
            previousRatio = rt;
            if (repeated)
            {
                t++;
                steady = t;
                break;
            }
        }
        if (t < last)
        {
            double inv = 1.0 / (b - a * previousRatio);
            double ci = c * inv, ai = a * inv; // one multiply-add on the loop-carried chain
            for (; t < last; t++)
            {
                double d = ci * y[t] - ai * previousMu;
                mu[t] = d;
                previousMu = d;
            }
        }
        {
            double inv = 1.0 / (bLast - a * previousRatio);
            ratio[last] = a * inv;
            mu[last] = (c * y[last] - a * previousMu) * inv;
        }

        // Back substitution μ_t = d_t − ratio_t μ_{t+1}, fused with the statistics Σ Y μ, Σ μ², Σ μ_t μ_{t−1}.
        double next = mu[last];
        double sumYX = y[last] * next, sumMu2 = next * next, sumLag = 0.0;
        t = last - 1;
        for (; t >= steady; t--)
        {
            double m = mu[t] - previousRatio * next;
            mu[t] = m;
            sumYX += y[t] * m;
            sumMu2 += m * m;
            sumLag += m * next;
            next = m;
        }
        for (; t >= 0; t--)
        {
            double m = mu[t] - ratio[t] * next;
            mu[t] = m;
            sumYX += y[t] * m;
            sumMu2 += m * m;
            sumLag += m * next;
            next = m;
        }
        sumLag += mu[0] * x0;

        _interiorVariance = 1.0 / b;
        _lastVariance = 1.0 / bLast;
        double lastMu = mu[last];
        double sumXX = sumMu2 + (length - 1) * _interiorVariance + _lastVariance;
        double sumXXPrev = sumXX - (lastMu * lastMu + _lastVariance) + x0 * x0;
        double log2PiE = Math.Log(2.0 * Math.PI) + 1.0;
        entropy = 0.5 * ((length - 1) * (log2PiE + Math.Log(_interiorVariance)) + log2PiE + Math.Log(_lastVariance));
        return new Ar1SufficientStatistics(length, _sumYY, sumYX, sumXX, sumXXPrev, sumLag);
    }

    /// <inheritdoc />
    public override Ar1NoiseModel Step(in Ar1NoiseModel theta, out double objective)
    {
        var statistics = UpdateVariational(theta, out double entropy);
        objective = theta.ExpectedCompleteLogLikelihood(statistics) + entropy;
        return Ar1NoiseModel.Maximize(statistics);
    }

    /// <inheritdoc />
    public override double OptimalElbo(in Ar1NoiseModel theta)
    {
        var statistics = UpdateVariational(theta, out double entropy);
        return theta.ExpectedCompleteLogLikelihood(statistics) + entropy;
    }

    /// <summary>
    /// The mean-field ELBO(θ, q) in closed form for arbitrary q = ∏ N(μ_t, v_t), t = 1..T (μ_0 = x0, v_0 = 0):
    /// Σ_t −½ log(2πσ_v²) − [(Y_t − ζμ_t)² + ζ²v_t]/(2σ_v²) − ½ log(2πσ_h²)
    /// − [(μ_t − ψμ_{t−1})² + v_t + ψ²v_{t−1}]/(2σ_h²) + ½ log(2πe v_t).
    /// </summary>
    public static double Elbo(ReadOnlySpan<double> y, double x0, in Ar1NoiseModel theta, ReadOnlySpan<double> means, ReadOnlySpan<double> variances)
    {
        if (means.Length != y.Length || variances.Length != y.Length)
            throw new ArgumentException("MeanFieldVariationalEm.Elbo: means and variances must have the series' length.");
        double psi = theta.Psi, zeta = theta.Zeta, q = theta.SigmaH2, r = theta.SigmaV2;
        double log2Pi = Math.Log(2.0 * Math.PI);
        double sum = 0.0, prevMu = x0, prevV = 0.0;
        for (int t = 0; t < y.Length; t++)
        {
            double mu = means[t], v = variances[t];
            double obs = (y[t] - zeta * mu) * (y[t] - zeta * mu) + zeta * zeta * v;
            double trans = (mu - psi * prevMu) * (mu - psi * prevMu) + v + psi * psi * prevV;
            sum += -0.5 * (log2Pi + Math.Log(r)) - 0.5 * obs / r - 0.5 * (log2Pi + Math.Log(q)) - 0.5 * trans / q
                   + 0.5 * (log2Pi + 1.0 + Math.Log(v));
            prevMu = mu;
            prevV = v;
        }
        return sum;
    }
}
