using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Inference;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Conjugate;

/// <summary>
/// Bayesian linear regression y = Xw + ε, ε ~ N(0, τ⁻¹I), w ~ N(0, α⁻¹I), fitted by coordinate-ascent VI with a
/// fully factorized q(w) = Π_j N(m_j, s_j) and, when the noise precision is unknown, q(τ) = Gamma(a, b) with a
/// Gamma(a₀, b₀) prior (Bishop 2006, §10.1.2 and §10.3; Blei, Kucukelbir and McAuliffe 2017, §2.4). Each step
/// sweeps the coordinates (s_j = 1/(α + E[τ] G_jj), m_j = s_j E[τ](c_j − Σ_{i≠j} G_ji m_i) with G = XᵀX, c = Xᵀy),
/// then updates q(τ), and returns the ELBO in closed form. With τ known the posterior is Gaussian,
/// N(Λ⁻¹τc, Λ⁻¹) with Λ = αI + τG (<see cref="ExactPosterior"/>), and the CAVI fixed point is its mean with variances
/// 1/Λ_jj (mean-field under-dispersion); the evidence log p(y) is known exactly too (<see cref="LogEvidence"/>), and
/// the gap log p(y) − ELBO at the fixed point is KL(q ‖ posterior) = ½(Σ log Λ_jj − log|Λ|).
/// Runs through <see cref="FitLoop"/> as an <see cref="IIterativeUpdate"/>.
/// </summary>
public sealed class BayesianLinearRegression : IIterativeUpdate
{
    private readonly double[] _gram;
    private readonly double[] _cross;
    private readonly double _squares;
    private readonly double[] _mean;
    private readonly double[] _variance;
    private readonly double? _knownPrecision;
    private readonly double _priorShape;
    private readonly double _priorRate;
    private double _shape;
    private double _rate;
    private double _lastElbo = double.NaN;

    /// <summary>
    /// The model for the n×d row-major design <paramref name="design"/> and responses <paramref name="response"/>, with
    /// weight prior precision <paramref name="priorPrecision"/>; the noise precision is <paramref name="noisePrecision"/>
    /// when given, else unknown with a Gamma(<paramref name="noiseShape"/>, <paramref name="noiseRate"/>) prior.
    /// q starts at m = 0, s = 1/α, q(τ) = prior.
    /// </summary>
    public BayesianLinearRegression(ReadOnlySpan<double> design, ReadOnlySpan<double> response, double priorPrecision,
        double? noisePrecision = null, double noiseShape = 1e-2, double noiseRate = 1e-2)
    {
        int n = response.Length;
        if (n < 1 || design.Length % n != 0 || design.Length == 0)
            throw new ArgumentException($"design has {design.Length} values, not a multiple of the {n} responses.", nameof(design));
        int d = design.Length / n;
        for (int i = 0; i < design.Length; i++)
            if (!double.IsFinite(design[i])) throw new ArgumentException($"design[{i / d}, {i % d}] is {design[i]}; must be finite.", nameof(design));
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(response[i])) throw new ArgumentException($"response[{i}] is {response[i]}; must be finite.", nameof(response));
        if (!(priorPrecision > 0) || double.IsInfinity(priorPrecision)) throw new ArgumentOutOfRangeException(nameof(priorPrecision), priorPrecision, "must be finite and positive.");
        if (noisePrecision is { } t && (!(t > 0) || double.IsInfinity(t))) throw new ArgumentOutOfRangeException(nameof(noisePrecision), t, "must be finite and positive.");
        if (!(noiseShape > 0) || !(noiseRate > 0)) throw new ArgumentOutOfRangeException(nameof(noiseShape), $"the noise prior Gamma({noiseShape}, {noiseRate}) needs positive parameters.");
        Count = n; Dimension = d;
        PriorPrecision = priorPrecision;
        _knownPrecision = noisePrecision;
        _priorShape = _shape = noiseShape;
        _priorRate = _rate = noiseRate;
        _gram = new double[d * d];
        Blas.Gemm(true, false, d, d, n, 1.0, design, d, design, d, 0.0, _gram, d);
        _cross = new double[d];
        Blas.Gemv(true, n, d, 1.0, design, d, response, 0.0, _cross);
        double squares = 0;
        foreach (double v in response) squares += v * v;
        _squares = squares;
        _mean = new double[d];
        _variance = Enumerable.Repeat(1 / priorPrecision, d).ToArray();
    }

    /// <summary>n.</summary>
    public int Count { get; }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>α.</summary>
    public double PriorPrecision { get; }

    /// <summary>The means m_j of q(w).</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>The variances s_j of q(w).</summary>
    public ReadOnlySpan<double> Variance => _variance;

    /// <summary>E_q[τ] (τ itself when known).</summary>
    public double ExpectedNoisePrecision => _knownPrecision ?? _shape / _rate;

    private double ExpectedLogNoisePrecision => _knownPrecision is { } t ? Math.Log(t) : GammaFunctionSpans.Digamma(_shape) - Math.Log(_rate);

    /// <summary>E_q‖y − Xw‖² = yᵀy − 2mᵀc + mᵀGm + Σ_j s_j G_jj.</summary>
    private double ExpectedResidualSquares()
    {
        int d = Dimension;
        double total = _squares;
        for (int i = 0; i < d; i++)
        {
            double row = 0;
            for (int j = 0; j < d; j++) row += _gram[i * d + j] * _mean[j];
            total += _mean[i] * row - 2 * _mean[i] * _cross[i] + _variance[i] * _gram[i * d + i];
        }
        return total;
    }

    /// <summary>The closed-form ELBO of the current q.</summary>
    public double Elbo()
    {
        int d = Dimension;
        double elbo = 0.5 * Count * (ExpectedLogNoisePrecision - Math.Log(2 * Math.PI)) - 0.5 * ExpectedNoisePrecision * ExpectedResidualSquares();
        elbo += 0.5 * d * Math.Log(PriorPrecision / (2 * Math.PI));
        for (int j = 0; j < d; j++)
            elbo += -0.5 * PriorPrecision * (_mean[j] * _mean[j] + _variance[j]) + 0.5 * Math.Log(2 * Math.PI * Math.E * _variance[j]);
        if (_knownPrecision is null)
            elbo -= KullbackLeibler.Divergence(new Gamma(Tensor.Scalar(_shape), Tensor.Scalar(_rate)), new Gamma(Tensor.Scalar(_priorShape), Tensor.Scalar(_priorRate))).Item();
        return elbo;
    }

    /// <summary>
    /// The exact posterior of w for a known noise precision: its mean Λ⁻¹τc and covariance Λ⁻¹ (d×d row-major).
    /// </summary>
    public (double[] Mean, double[] Covariance) ExactPosterior()
    {
        double tau = _knownPrecision ?? throw new InvalidOperationException("the exact posterior is Gaussian only for a known noise precision.");
        int d = Dimension;
        var precision = Precision(tau);
        var factor = (double[])precision.Clone();
        Cholesky.FactorLower(factor, d);
        var mean = _cross.Select(c => tau * c).ToArray();
        Cholesky.Solve(factor, d, mean, 1);
        var covariance = new double[d * d];
        for (int i = 0; i < d; i++) covariance[i * d + i] = 1;
        Cholesky.Solve(factor, d, covariance, d);
        return (mean, covariance);
    }

    /// <summary>Λ = αI + τG, the posterior precision for a known τ.</summary>
    public double[] Precision(double noisePrecision)
    {
        int d = Dimension;
        var precision = _gram.Select(g => noisePrecision * g).ToArray();
        for (int i = 0; i < d; i++) precision[i * d + i] += PriorPrecision;
        return precision;
    }

    /// <summary>
    /// log p(y) for a known τ: −(n/2) log 2π + (n/2) log τ + (d/2) log α − ½ log|Λ| − ½(τ yᵀy − τ² cᵀΛ⁻¹c)
    /// (the matrix determinant lemma and Woodbury's identity on N(y | 0, τ⁻¹I + α⁻¹XXᵀ)).
    /// </summary>
    public double LogEvidence()
    {
        double tau = _knownPrecision ?? throw new InvalidOperationException("the evidence is closed-form here only for a known noise precision.");
        int d = Dimension;
        var factor = Precision(tau);
        Cholesky.FactorLower(factor, d);
        var solved = (double[])_cross.Clone();
        Cholesky.Solve(factor, d, solved, 1);
        double quadratic = tau * _squares - tau * tau * ExponentialFamily.Dot(_cross, solved);
        return -0.5 * Count * Math.Log(2 * Math.PI) + 0.5 * Count * Math.Log(tau) + 0.5 * d * Math.Log(PriorPrecision)
            - 0.5 * Cholesky.LogDeterminant(factor, d) - 0.5 * quadratic;
    }

    /// <inheritdoc />
    public string Name => "CAVI (Bayesian linear regression)";

    /// <inheritdoc />
    public double Step(RandomStream random)
    {
        int d = Dimension;
        double tau = ExpectedNoisePrecision;
        for (int j = 0; j < d; j++)
        {
            double others = 0;
            for (int i = 0; i < d; i++) if (i != j) others += _gram[j * d + i] * _mean[i];
            double precision = PriorPrecision + tau * _gram[j * d + j];
            _variance[j] = 1 / precision;
            _mean[j] = tau * (_cross[j] - others) / precision;
        }
        if (_knownPrecision is null)
        {
            _shape = _priorShape + 0.5 * Count;
            _rate = _priorRate + 0.5 * ExpectedResidualSquares();
        }
        return _lastElbo = Elbo();
    }

    /// <inheritdoc />
    public object CaptureState() => ((double[])_mean.Clone(), (double[])_variance.Clone(), _shape, _rate, _lastElbo);

    /// <inheritdoc />
    public void RestoreState(object snapshot)
    {
        var (mean, variance, shape, rate, elbo) = ((double[], double[], double, double, double))snapshot;
        mean.CopyTo(_mean, 0); variance.CopyTo(_variance, 0);
        _shape = shape; _rate = rate; _lastElbo = elbo;
    }

    /// <summary>CAVI has no step size.</summary>
    public void BackOff(double factor) { }

    /// <inheritdoc />
    public double StepSize => 1.0;

    /// <inheritdoc />
    public JsonNode SaveState() => new JsonObject
    {
        ["mean"] = FitLoopCheckpoint.TraceToJson(_mean),
        ["variance"] = FitLoopCheckpoint.TraceToJson(_variance),
        ["shape"] = _shape,
        ["rate"] = _rate,
    };

    /// <inheritdoc />
    public void LoadState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        FitLoopCheckpoint.TraceFromJson(state["mean"]!).CopyTo(_mean, 0);
        FitLoopCheckpoint.TraceFromJson(state["variance"]!).CopyTo(_variance, 0);
        _shape = (double)state["shape"]!;
        _rate = (double)state["rate"]!;
        _lastElbo = Elbo();
    }

    /// <inheritdoc />
    public double EstimateObjective(int particles, RandomStream random) => double.IsFinite(_lastElbo) ? _lastElbo : Elbo();
}
