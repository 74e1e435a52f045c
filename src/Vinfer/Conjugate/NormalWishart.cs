using Vinfer.Random;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Conjugate;

/// <summary>
/// The Normal–Wishart distribution NW(m, β, W, ν) over a mean μ ∈ ℝ^d and a precision matrix Λ: Λ ~ Wishart(W, ν),
/// μ | Λ ~ N(m, (βΛ)⁻¹), the conjugate prior of a Gaussian with unknown mean and full covariance (Bishop 2006, §2.3.6
/// and §10.2). As an exponential family, with T(μ, Λ) = (Λμ, −½ μᵀΛμ, −½ Λ, ½ log|Λ|):
/// η = (βm, β, W⁻¹ + β m mᵀ, ν − d), A = (ν/2) log|W| + (νd/2) log 2 + log Γ_d(ν/2) − (d/2) log β and
/// h = (2π)^(−d/2); E[T] = (νWm, −½(d/β + ν mᵀWm), −½ νW, ½(ψ_d(ν/2) + d log 2 + log|W|)).
/// A Gaussian observation x adds (x, 1, x xᵀ, 1) to η, which is what makes the mixture's updates linear in the
/// data's statistics. Natural-parameter layout: [βm (d), β, W⁻¹ + βmmᵀ (d×d row-major), ν − d].
/// </summary>
public sealed class NormalWishart : IExponentialFamily
{
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly double[] _scaleInverseFactor;

    /// <summary>NW(m, β, W, ν) with β &gt; 0, W symmetric positive definite (d×d row-major) and ν &gt; d − 1.</summary>
    public NormalWishart(ReadOnlySpan<double> mean, double beta, ReadOnlySpan<double> scale, double degrees)
    {
        int d = mean.Length;
        if (d < 1) throw new ArgumentException("the mean needs at least one dimension.", nameof(mean));
        if (scale.Length != d * d) throw new ArgumentException($"scale has {scale.Length} entries, expected {d}×{d}.", nameof(scale));
        if (!(beta > 0) || double.IsInfinity(beta)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be finite and positive.");
        if (!(degrees > d - 1) || double.IsInfinity(degrees)) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, $"ν must be finite and greater than d − 1 = {d - 1}.");
        Dimension = d;
        _mean = mean.ToArray();
        Beta = beta;
        Degrees = degrees;
        _scale = scale.ToArray();
        SmallMatrix.Symmetrize(_scale, d);
        var factor = (double[])_scale.Clone();
        if (!Cholesky.TryFactorLower(factor, d)) throw new ArgumentException("the scale matrix W is not positive definite.", nameof(scale));
        LogDeterminantScale = Cholesky.LogDeterminant(factor, d);
        // W⁻¹'s factor: what the natural parameters and the E-step's Mahalanobis terms are made of.
        _scaleInverseFactor = Inverse(_scale, d);
        if (!Cholesky.TryFactorLower(_scaleInverseFactor, d)) throw new ArgumentException("the scale matrix W is too ill-conditioned to invert.", nameof(scale));
    }

    /// <summary>The member with natural parameters <paramref name="natural"/> (layout in the class remarks).</summary>
    public static NormalWishart FromNatural(ReadOnlySpan<double> natural, int dimension)
    {
        int d = dimension;
        if (natural.Length != NaturalLength(d)) throw new ArgumentException($"{natural.Length} natural parameters, expected {NaturalLength(d)} for d = {d}.", nameof(natural));
        double beta = natural[d];
        if (!(beta > 0)) throw new ArgumentOutOfRangeException(nameof(natural), beta, "the natural parameter β must be positive.");
        var mean = new double[d];
        for (int i = 0; i < d; i++) mean[i] = natural[i] / beta;
        var scaleInverse = natural.Slice(d + 1, d * d).ToArray();
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) scaleInverse[i * d + j] -= beta * mean[i] * mean[j];
        SmallMatrix.Symmetrize(scaleInverse, d);
        return new NormalWishart(mean, beta, Inverse(scaleInverse, d), natural[d + 1 + d * d] + d);
    }

    /// <summary>The length of the natural-parameter vector for dimension d: d + 1 + d² + 1.</summary>
    public static int NaturalLength(int dimension) => dimension + 2 + dimension * dimension;

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>m.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>β.</summary>
    public double Beta { get; }

    /// <summary>W (d×d row-major).</summary>
    public ReadOnlySpan<double> Scale => _scale;

    /// <summary>ν.</summary>
    public double Degrees { get; }

    /// <summary>log|W|.</summary>
    public double LogDeterminantScale { get; }

    /// <summary>E[log|Λ|] = ψ_d(ν/2) + d log 2 + log|W|.</summary>
    public double ExpectedLogDeterminant => GammaFunctionSpans.MultivariateDigamma(0.5 * Degrees, Dimension) + Dimension * Math.Log(2) + LogDeterminantScale;

    /// <summary>E[Λ] = νW, whose inverse is the point estimate of the covariance reported by scikit-learn (W⁻¹/ν).</summary>
    public double[] ExpectedPrecision() => _scale.Select(w => Degrees * w).ToArray();

    /// <summary>W⁻¹/ν: the covariance estimate scikit-learn reports (covariances_).</summary>
    public double[] CovarianceEstimate()
    {
        int d = Dimension;
        var c = Inverse(_scale, d);
        for (int i = 0; i < c.Length; i++) c[i] /= Degrees;
        return c;
    }

    /// <summary>
    /// E[(x − μ)ᵀΛ(x − μ)] = d/β + ν (x − m)ᵀW(x − m), the expected squared Mahalanobis distance of an observation.
    /// </summary>
    public double ExpectedMahalanobis(ReadOnlySpan<double> x)
    {
        int d = Dimension;
        var diff = new double[d];
        for (int i = 0; i < d; i++) diff[i] = x[i] - _mean[i];
        return d / Beta + Degrees * Cholesky.MahalanobisSquared(_scaleInverseFactor, d, diff, new double[d]);
    }

    /// <summary>E[log N(x | μ, Λ⁻¹)] = ½ E[log|Λ|] − (d/2) log 2π − ½ E[(x − μ)ᵀΛ(x − μ)].</summary>
    public double ExpectedLogLikelihood(ReadOnlySpan<double> x) =>
        0.5 * ExpectedLogDeterminant - 0.5 * Dimension * Math.Log(2 * Math.PI) - 0.5 * ExpectedMahalanobis(x);

    /// <inheritdoc />
    public int NaturalDimension => NaturalLength(Dimension);

    /// <inheritdoc />
    public void NaturalParameters(Span<double> destination)
    {
        int d = Dimension;
        for (int i = 0; i < d; i++) destination[i] = Beta * _mean[i];
        destination[d] = Beta;
        var scaleInverse = Inverse(_scale, d);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) destination[d + 1 + i * d + j] = scaleInverse[i * d + j] + Beta * _mean[i] * _mean[j];
        destination[d + 1 + d * d] = Degrees - d;
    }

    /// <inheritdoc />
    public void ExpectedSufficientStatistics(Span<double> destination)
    {
        int d = Dimension;
        double quadratic = 0;
        for (int i = 0; i < d; i++)
        {
            double row = 0;
            for (int j = 0; j < d; j++) row += _scale[i * d + j] * _mean[j];
            destination[i] = Degrees * row;
            quadratic += _mean[i] * row;
        }
        destination[d] = -0.5 * (d / Beta + Degrees * quadratic);
        for (int i = 0; i < d * d; i++) destination[d + 1 + i] = -0.5 * Degrees * _scale[i];
        destination[d + 1 + d * d] = 0.5 * ExpectedLogDeterminant;
    }

    /// <inheritdoc />
    public double LogPartition =>
        0.5 * Degrees * LogDeterminantScale + 0.5 * Degrees * Dimension * Math.Log(2) + GammaFunctionSpans.MultivariateLogGamma(0.5 * Degrees, Dimension) - 0.5 * Dimension * Math.Log(Beta);

    /// <inheritdoc />
    public double ExpectedLogBaseMeasure => -0.5 * Dimension * Math.Log(2 * Math.PI);

    /// <summary>KL(this ‖ prior) in closed form (<see cref="ExponentialFamily.KullbackLeibler"/>).</summary>
    public double KullbackLeiblerTo(NormalWishart prior) => ExponentialFamily.KullbackLeibler(this, prior);

    /// <summary>The sufficient statistics T(μ, Λ) in the natural-parameter layout.</summary>
    public static void SufficientStatistics(ReadOnlySpan<double> mean, ReadOnlySpan<double> precision, Span<double> destination)
    {
        int d = mean.Length;
        double quadratic = 0;
        for (int i = 0; i < d; i++)
        {
            double row = 0;
            for (int j = 0; j < d; j++) row += precision[i * d + j] * mean[j];
            destination[i] = row;
            quadratic += mean[i] * row;
        }
        destination[d] = -0.5 * quadratic;
        for (int i = 0; i < d * d; i++) destination[d + 1 + i] = -0.5 * precision[i];
        var factor = precision.ToArray();
        Cholesky.FactorLower(factor, d);
        destination[d + 1 + d * d] = 0.5 * Cholesky.LogDeterminant(factor, d);
    }

    /// <summary>log NW(μ, Λ) = ⟨η, T(μ, Λ)⟩ − A + log h.</summary>
    public double LogDensity(ReadOnlySpan<double> mean, ReadOnlySpan<double> precision)
    {
        var eta = new double[NaturalDimension];
        var t = new double[NaturalDimension];
        NaturalParameters(eta);
        SufficientStatistics(mean, precision, t);
        return ExponentialFamily.Dot(eta, t) - LogPartition + ExpectedLogBaseMeasure;
    }

    /// <summary>
    /// One draw: Λ by the Bartlett decomposition (Λ = L A Aᵀ Lᵀ, W = L Lᵀ, A lower triangular with A_ii² ~ χ²(ν − i)
    /// and standard normals below the diagonal; Bartlett 1933), then μ ~ N(m, (βΛ)⁻¹).
    /// </summary>
    public void Sample(RandomKey key, Span<double> mean, Span<double> precision)
    {
        int d = Dimension;
        var normals = new double[d * d + d];
        Vinfer.Random.Sample.Normal(key.Child(0), normals);
        var a = new double[d * d];
        var chi = new double[1];
        for (int i = 0; i < d; i++)
        {
            Vinfer.Random.Sample.Gamma(key.Child(1 + i), 0.5 * (Degrees - i), 0.5, chi);
            a[i * d + i] = Math.Sqrt(chi[0]);
            for (int j = 0; j < i; j++) a[i * d + j] = normals[i * d + j];
        }
        var l = _scale.ToArray();
        Cholesky.FactorLower(l, d);
        var la = new double[d * d];
        SmallMatrix.Multiply(l, false, a, false, la, d, d, d);
        SmallMatrix.Multiply(la, false, la, true, precision, d, d, d);
        SmallMatrix.Symmetrize(precision, d);
        var factor = precision.ToArray();
        Cholesky.FactorLower(factor, d);
        var z = normals.AsSpan(d * d, d).ToArray();
        Cholesky.SolveLowerTransposed(factor, d, z, 1);
        double s = 1 / Math.Sqrt(Beta);
        for (int i = 0; i < d; i++) mean[i] = _mean[i] + s * z[i];
    }

    /// <summary>The inverse of a symmetric positive-definite d×d matrix through its Cholesky factor.</summary>
    internal static double[] Inverse(ReadOnlySpan<double> matrix, int d)
    {
        var factor = matrix.ToArray();
        if (!Cholesky.TryFactorLower(factor, d)) throw new ArgumentException("the matrix is not positive definite.", nameof(matrix));
        var inverse = new double[d * d];
        for (int i = 0; i < d; i++) inverse[i * d + i] = 1;
        Cholesky.Solve(factor, d, inverse, d);
        SmallMatrix.Symmetrize(inverse, d);
        return inverse;
    }
}
