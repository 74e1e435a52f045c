using Vinfer.Distributions;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Objectives;

/// <summary>
/// The linear-Gaussian model with closed-form evidence and posterior, for checking objectives against exact answers:
/// n independent points, z_i ~ N(0, I_d), x_i | z_i ~ N(A z_i, σ² I_m), all inside the plate "data" (dim −1, so
/// the model's max plate nesting is 1). The posterior of each z_i is N(μ_i, Σ) with Σ = (I + AᵀA/σ²)⁻¹ (the same for
/// every point) and μ_i = Σ Aᵀ x_i / σ²; the evidence is Σ_i log N(x_i; 0, AAᵀ + σ²I).
/// For a Gaussian guide q_i = N(m_i, C) the variational Rényi bound (Li and Turner 2016) is exact:
/// L_α = log p(x) − Σ_i D_α(q_i ‖ p(z_i | x_i)), with the Rényi divergence between Gaussians
/// D_α(N₁‖N₂) = (α/2) Δᵀ Σ_α⁻¹ Δ − ln(|Σ_α| / (|Σ₁|^{1−α} |Σ₂|^α)) / (2(α − 1)), Σ_α = αΣ₂ + (1 − α)Σ₁
/// (finite when Σ_α is positive definite); α → 1 is the ELBO (the KL), α = 0 the evidence, α = −1 the CUBO.
/// </summary>
public sealed class LinearGaussianModel
{
    /// <summary>The plate the latents and the data sit in.</summary>
    public const string PlateName = "data";

    /// <summary>A model of <paramref name="dimension"/> latents and <paramref name="observedDimension"/> observations per point, data drawn from the model.</summary>
    public LinearGaussianModel(int dimension, int observedDimension, int points, double noise, int seed)
    {
        D = dimension;
        M = observedDimension;
        N = points;
        Noise = noise;
        var rng = new System.Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        A = new double[M, D];
        for (int r = 0; r < M; r++) for (int c = 0; c < D; c++) A[r, c] = Gaussian() / Math.Sqrt(D);
        X = new double[N, M];
        for (int i = 0; i < N; i++)
        {
            var z = new double[D];
            for (int c = 0; c < D; c++) z[c] = Gaussian();
            for (int r = 0; r < M; r++)
            {
                double s = 0;
                for (int c = 0; c < D; c++) s += A[r, c] * z[c];
                X[i, r] = s + noise * Gaussian();
            }
        }
        var transposed = new double[D, M];
        for (int r = 0; r < M; r++) for (int c = 0; c < D; c++) transposed[c, r] = A[r, c];
        _aTransposed = Tensor.FromArray(transposed);
        _data = Tensor.FromArray(X);

        // Posterior precision I + AᵀA/σ², its inverse through Cholesky solves.
        var precision = new double[D, D];
        for (int a = 0; a < D; a++)
            for (int b = 0; b < D; b++)
            {
                double s = a == b ? 1 : 0;
                for (int r = 0; r < M; r++) s += A[r, a] * A[r, b] / (noise * noise);
                precision[a, b] = s;
            }
        PosteriorCovariance = Inverse(precision);
        PosteriorMean = new double[N, D];
        for (int i = 0; i < N; i++)
            for (int a = 0; a < D; a++)
            {
                double s = 0;
                for (int b = 0; b < D; b++)
                {
                    double atx = 0;
                    for (int r = 0; r < M; r++) atx += A[r, b] * X[i, r];
                    s += PosteriorCovariance[a, b] * atx / (noise * noise);
                }
                PosteriorMean[i, a] = s;
            }
        PosteriorCholesky = Cholesky(PosteriorCovariance);
    }

    /// <summary>Latent dimension d.</summary>
    public int D { get; }

    /// <summary>Observation dimension m.</summary>
    public int M { get; }

    /// <summary>Number of points n.</summary>
    public int N { get; }

    /// <summary>Observation noise σ.</summary>
    public double Noise { get; }

    /// <summary>The loading matrix A, m × d.</summary>
    public double[,] A { get; }

    /// <summary>The data, n × m.</summary>
    public double[,] X { get; }

    /// <summary>Posterior means μ_i, n × d.</summary>
    public double[,] PosteriorMean { get; }

    /// <summary>The posterior covariance Σ shared by every point, d × d.</summary>
    public double[,] PosteriorCovariance { get; }

    /// <summary>The lower Cholesky factor of <see cref="PosteriorCovariance"/>.</summary>
    public double[,] PosteriorCholesky { get; }

    private readonly Tensor _aTransposed;
    private readonly Tensor _data;

    /// <summary>The model (max plate nesting 1).</summary>
    public void Model()
    {
        using (Plate(PlateName, N))
        {
            var z = Sample("z", new Normal(Tensor.Zeros(D), Tensor.Ones(D)).ToEvent(1));
            Sample("x", new Normal(z.MatMul(_aTransposed), Tensor.Scalar(Noise)).ToEvent(1), _data);
        }
    }

    /// <summary>
    /// A full-covariance Gaussian guide q_i = N(m_i, LLᵀ) with parameters "q_loc" (n × d) and "q_tril" (d × d, lower
    /// Cholesky) initialized at the given values.
    /// </summary>
    public Action Guide(double[,] loc, double[,] scaleTril) => () =>
    {
        var m = Param("q_loc", Tensor.FromArray(loc));
        var l = Param("q_tril", Tensor.FromArray(scaleTril), Constraints.LowerCholesky);
        using (Plate(PlateName, N)) Sample("z", new MultivariateNormal(m, scaleTril: l));
    };

    /// <summary>The guide at the exact posterior: every bound equals log p(x) there, with zero variance.</summary>
    public Action ExactPosteriorGuide() => Guide(PosteriorMean, PosteriorCholesky);

    /// <summary>
    /// A guide that is not the posterior: means shifted by <paramref name="shift"/> in every coordinate and the
    /// posterior's Cholesky factor times <paramref name="widen"/> (widen &gt; 1 keeps the importance weights' moments finite).
    /// </summary>
    public (double[,] Loc, double[,] ScaleTril) PerturbedGuideParameters(double shift, double widen)
    {
        var loc = new double[N, D];
        for (int i = 0; i < N; i++) for (int a = 0; a < D; a++) loc[i, a] = PosteriorMean[i, a] + shift * (a % 2 == 0 ? 1 : -1);
        var tril = new double[D, D];
        for (int a = 0; a < D; a++) for (int b = 0; b <= a; b++) tril[a, b] = PosteriorCholesky[a, b] * widen;
        return (loc, tril);
    }

    /// <summary>log p(x_i) for each point.</summary>
    public double[] PointLogEvidence()
    {
        var cov = new double[M, M];
        for (int r = 0; r < M; r++)
            for (int c = 0; c < M; c++)
            {
                double s = r == c ? Noise * Noise : 0;
                for (int a = 0; a < D; a++) s += A[r, a] * A[c, a];
                cov[r, c] = s;
            }
        var result = new double[N];
        for (int i = 0; i < N; i++)
        {
            var x = new double[M];
            for (int r = 0; r < M; r++) x[r] = X[i, r];
            result[i] = LogNormalDensity(x, new double[M], cov);
        }
        return result;
    }

    /// <summary>log p(x) = Σ_i log p(x_i).</summary>
    public double LogEvidence() => PointLogEvidence().Sum();

    /// <summary>
    /// The per-point variational Rényi bound L_α(q_i) = log p(x_i) − D_α(q_i ‖ p(z_i | x_i)) for q_i = N(loc_i, LLᵀ);
    /// α = 1 is the ELBO. Throws when Σ_α is not positive definite (the bound is +∞ or undefined there).
    /// </summary>
    public double[] PointRenyiBound(double alpha, double[,] loc, double[,] scaleTril)
    {
        var c = new double[D, D];
        for (int a = 0; a < D; a++)
            for (int b = 0; b < D; b++)
            {
                double s = 0;
                for (int k = 0; k < D; k++) s += scaleTril[a, k] * scaleTril[b, k];
                c[a, b] = s;
            }
        var evidence = PointLogEvidence();
        var result = new double[N];
        for (int i = 0; i < N; i++)
        {
            var delta = new double[D];
            for (int a = 0; a < D; a++) delta[a] = loc[i, a] - PosteriorMean[i, a];
            result[i] = evidence[i] - RenyiDivergence(alpha, delta, c, PosteriorCovariance);
        }
        return result;
    }

    /// <summary>The variational Rényi bound of the whole data set: the sum of the per-point bounds.</summary>
    public double RenyiBound(double alpha, double[,] loc, double[,] scaleTril) => PointRenyiBound(alpha, loc, scaleTril).Sum();

    /// <summary>D_α(N(Δ, Σ₁) ‖ N(0, Σ₂)); α = 1 gives KL(N₁ ‖ N₂).</summary>
    public static double RenyiDivergence(double alpha, double[] delta, double[,] sigma1, double[,] sigma2)
    {
        int d = delta.Length;
        if (alpha == 1)
        {
            var inv2 = Inverse(sigma2);
            double trace = 0, quad = 0;
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                {
                    trace += inv2[a, b] * sigma1[b, a];
                    quad += delta[a] * inv2[a, b] * delta[b];
                }
            return 0.5 * (trace + quad - d + LogDeterminant(sigma2) - LogDeterminant(sigma1));
        }
        var mixed = new double[d, d];
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) mixed[a, b] = alpha * sigma2[a, b] + (1 - alpha) * sigma1[a, b];
        var inv = Inverse(mixed);
        double q = 0;
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) q += delta[a] * inv[a, b] * delta[b];
        return 0.5 * alpha * q - (LogDeterminant(mixed) - (1 - alpha) * LogDeterminant(sigma1) - alpha * LogDeterminant(sigma2)) / (2 * (alpha - 1));
    }

    private static double LogNormalDensity(double[] x, double[] mean, double[,] cov)
    {
        int d = x.Length;
        var inv = Inverse(cov);
        double q = 0;
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) q += (x[a] - mean[a]) * inv[a, b] * (x[b] - mean[b]);
        return -0.5 * (q + LogDeterminant(cov) + d * Math.Log(2 * Math.PI));
    }

    /// <summary>The lower Cholesky factor; throws when the matrix is not positive definite.</summary>
    public static double[,] Cholesky(double[,] m)
    {
        int d = m.GetLength(0);
        var l = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            double s = m[j, j];
            for (int k = 0; k < j; k++) s -= l[j, k] * l[j, k];
            if (!(s > 0)) throw new ArgumentException($"Cholesky: matrix is not positive definite (pivot {j} is {s}).", nameof(m));
            l[j, j] = Math.Sqrt(s);
            for (int i = j + 1; i < d; i++)
            {
                double t = m[i, j];
                for (int k = 0; k < j; k++) t -= l[i, k] * l[j, k];
                l[i, j] = t / l[j, j];
            }
        }
        return l;
    }

    private static double LogDeterminant(double[,] m)
    {
        var l = Cholesky(m);
        double s = 0;
        for (int j = 0; j < l.GetLength(0); j++) s += 2 * Math.Log(l[j, j]);
        return s;
    }

    /// <summary>The inverse of a symmetric positive definite matrix, by Cholesky solves against the identity.</summary>
    private static double[,] Inverse(double[,] m)
    {
        int d = m.GetLength(0);
        var l = Cholesky(m);
        var inv = new double[d, d];
        for (int col = 0; col < d; col++)
        {
            var y = new double[d];
            for (int i = 0; i < d; i++)
            {
                double s = i == col ? 1 : 0;
                for (int k = 0; k < i; k++) s -= l[i, k] * y[k];
                y[i] = s / l[i, i];
            }
            for (int i = d - 1; i >= 0; i--)
            {
                double s = y[i];
                for (int k = i + 1; k < d; k++) s -= l[k, i] * inv[k, col];
                inv[i, col] = s / l[i, i];
            }
        }
        return inv;
    }
}
