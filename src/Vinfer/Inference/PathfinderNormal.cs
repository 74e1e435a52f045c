using Vinfer.Tensors.Kernels;

namespace Vinfer.Inference;

/// <summary>
/// Pathfinder's normal approximation at one point of an L-BFGS path (Zhang, Carpenter, Gelman &amp; Vehtari,
/// "Pathfinder: Parallel quasi-Newton variational inference", JMLR 2022, Algorithms 3 and 4): covariance Σ the L-BFGS
/// inverse-Hessian estimate in its low-rank-plus-diagonal form Σ = diag(α) + β γ βᵀ (Byrd, Nocedal &amp; Schnabel 1994),
/// β = [diag(α) Y, S], γ = [[0, −R⁻¹], [−R⁻ᵀ, R⁻ᵀ(E + Yᵀ diag(α) Y) R⁻¹]], R the upper triangle of SᵀY and E its
/// diagonal; mean μ = x + Σ ∇log p(x), one Newton step. Factored without forming an inverse: a thin Householder QR
/// diag(α)^{-1/2} β = Q R̃ and the Cholesky factor L of I + R̃ γ R̃ᵀ (R⁻¹ only through triangular solves) give
/// draws μ + diag(α)^{1/2} (Q L Qᵀu + u − Q Qᵀu), u ~ N(0, I), and log det Σ = Σ log α + 2 log det L.
/// </summary>
public sealed class PathfinderNormal
{
    private readonly double[] _sqrtAlpha;
    private readonly double[] _q;       // D×r
    private readonly double[] _lower;   // r×r, Cholesky factor of I + R̃ γ R̃ᵀ
    private readonly int _rank;

    private PathfinderNormal(double[] mean, double[] sqrtAlpha, double[] q, double[] lower, int rank, double logDeterminant)
    {
        Mean = mean;
        _sqrtAlpha = sqrtAlpha;
        _q = q;
        _lower = lower;
        _rank = rank;
        LogDeterminant = logDeterminant;
    }

    /// <summary>The dimension D.</summary>
    public int Dimension => Mean.Length;

    /// <summary>μ.</summary>
    public double[] Mean { get; }

    /// <summary>log det Σ.</summary>
    public double LogDeterminant { get; }

    /// <summary>
    /// The approximation at <paramref name="x"/> with ∇log p = <paramref name="gradient"/>, inverse-Hessian diagonal
    /// <paramref name="alpha"/> and the (s, y) pairs <paramref name="pairs"/> (oldest first; y the change of ∇(−log p),
    /// so sᵀy &gt; 0); null when the factorization is not positive definite (numerically degenerate pairs).
    /// </summary>
    public static PathfinderNormal? Create(double[] x, double[] gradient, double[] alpha, IReadOnlyList<(double[] S, double[] Y)> pairs)
    {
        int d = x.Length, m = pairs.Count, k = 2 * m;
        if (m == 0) throw new ArgumentException("PathfinderNormal: at least one (s, y) pair is needed.", nameof(pairs));
        var sqrtAlpha = alpha.Select(Math.Sqrt).ToArray();
        // B = diag(α)^{-1/2} β = [diag(α)^{1/2} Y, diag(α)^{-1/2} S], D×2m row-major
        var b = new double[d * k];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < m; j++)
            {
                b[i * k + j] = sqrtAlpha[i] * pairs[j].Y[i];
                b[i * k + m + j] = pairs[j].S[i] / sqrtAlpha[i];
            }
        var (q, rTilde) = HouseholderQr.Factor(b, d, k);
        int r = Math.Min(d, k);
        // R (upper triangle of SᵀY), E = diag(SᵀY), YᵀΑY
        var rUpper = new double[m * m];
        var middle = new double[m * m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
            {
                if (i <= j) rUpper[i * m + j] = Dot(pairs[i].S, pairs[j].Y);
                double yay = 0;
                for (int t = 0; t < d; t++) yay += pairs[i].Y[t] * alpha[t] * pairs[j].Y[t];
                middle[i * m + j] = yay + (i == j ? Dot(pairs[i].S, pairs[i].Y) : 0);
            }
        // G = γ R̃ᵀ (2m×r), column by column: γ [v₁; v₂] = [−R⁻¹v₂; −R⁻ᵀv₁ + R⁻ᵀ middle R⁻¹ v₂]
        var gamma = new double[k * r];
        var v1 = new double[m];
        var v2 = new double[m];
        var t2 = new double[m];
        for (int c = 0; c < r; c++)
        {
            for (int i = 0; i < m; i++) { v1[i] = rTilde[c * k + i]; v2[i] = rTilde[c * k + m + i]; }
            var rInvV2 = (double[])v2.Clone();
            Cholesky.SolveTriangular(rUpper, m, rInvV2, 1, TriangularPart.Upper, transpose: false);
            for (int i = 0; i < m; i++)
            {
                double s = 0;
                for (int j = 0; j < m; j++) s += middle[i * m + j] * rInvV2[j];
                t2[i] = s - v1[i];
            }
            Cholesky.SolveTriangular(rUpper, m, t2, 1, TriangularPart.Upper, transpose: true);
            for (int i = 0; i < m; i++) { gamma[i * r + c] = -rInvV2[i]; gamma[(m + i) * r + c] = t2[i]; }
        }
        foreach (double v in gamma) if (!double.IsFinite(v)) return null;
        // M = I + R̃ G (r×r), symmetrized against rounding, then its Cholesky factor
        var lower = new double[r * r];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
            {
                double s = 0;
                for (int t = 0; t < k; t++) s += rTilde[i * k + t] * gamma[t * r + j];
                lower[i * r + j] = s + (i == j ? 1 : 0);
            }
        for (int i = 0; i < r; i++)
            for (int j = 0; j < i; j++)
            {
                double avg = 0.5 * (lower[i * r + j] + lower[j * r + i]);
                lower[i * r + j] = lower[j * r + i] = avg;
            }
        foreach (double v in lower) if (!double.IsFinite(v)) return null;
        if (!Cholesky.TryFactorLower(lower, r)) return null;
        for (int i = 0; i < r; i++) for (int j = i + 1; j < r; j++) lower[i * r + j] = 0;
        double logDet = 0;
        for (int i = 0; i < d; i++) logDet += Math.Log(alpha[i]);
        for (int i = 0; i < r; i++) logDet += 2 * Math.Log(lower[i * r + i]);
        var normal = new PathfinderNormal(new double[d], sqrtAlpha, q, lower, r, logDet);
        // μ = x + Σ ∇log p(x)
        var step = normal.CovarianceTimes(gradient);
        for (int i = 0; i < d; i++) normal.Mean[i] = x[i] + step[i];
        foreach (double v in normal.Mean) if (!double.IsFinite(v)) return null;
        return double.IsFinite(logDet) ? normal : null;
    }

    /// <summary>Σ v = diag(α)^{1/2} [w + Q (M − I) Qᵀ w], w = diag(α)^{1/2} v.</summary>
    public double[] CovarianceTimes(ReadOnlySpan<double> v)
    {
        int d = Dimension, r = _rank;
        var w = new double[d];
        for (int i = 0; i < d; i++) w[i] = _sqrtAlpha[i] * v[i];
        var qtw = QTranspose(w);
        // (M − I) z = L Lᵀ z − z
        var lt = new double[r];
        for (int i = 0; i < r; i++) { double s = 0; for (int j = i; j < r; j++) s += _lower[j * r + i] * qtw[j]; lt[i] = s; }
        var mz = new double[r];
        for (int i = 0; i < r; i++) { double s = 0; for (int j = 0; j <= i; j++) s += _lower[i * r + j] * lt[j]; mz[i] = s - qtw[i]; }
        var result = new double[d];
        for (int i = 0; i < d; i++)
        {
            double s = 0;
            for (int j = 0; j < r; j++) s += _q[i * r + j] * mz[j];
            result[i] = _sqrtAlpha[i] * (w[i] + s);
        }
        return result;
    }

    /// <summary>Writes μ + diag(α)^{1/2}(Q L Qᵀu + u − Q Qᵀu) to <paramref name="draw"/>; returns log q(draw) = −½(log det Σ + uᵀu + D log 2π).</summary>
    public double Draw(ReadOnlySpan<double> u, Span<double> draw)
    {
        int d = Dimension, r = _rank;
        var qtu = QTranspose(u);
        var lq = new double[r];
        for (int i = 0; i < r; i++) { double s = 0; for (int j = 0; j <= i; j++) s += _lower[i * r + j] * qtu[j]; lq[i] = s - qtu[i]; }
        double uu = 0;
        for (int i = 0; i < d; i++)
        {
            double s = 0;
            for (int j = 0; j < r; j++) s += _q[i * r + j] * lq[j];
            draw[i] = Mean[i] + _sqrtAlpha[i] * (u[i] + s);
            uu += u[i] * u[i];
        }
        return -0.5 * (LogDeterminant + uu + d * Math.Log(2 * Math.PI));
    }

    /// <summary>The dense lower Cholesky factor of Σ (row-major D×D), for a full-rank guide.</summary>
    public double[] CholeskyFactor()
    {
        int d = Dimension;
        var sigma = new double[d * d];
        var e = new double[d];
        for (int c = 0; c < d; c++)
        {
            Array.Clear(e);
            e[c] = 1;
            var col = CovarianceTimes(e);
            for (int i = 0; i < d; i++) sigma[i * d + c] = col[i];
        }
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++)
            {
                double avg = 0.5 * (sigma[i * d + j] + sigma[j * d + i]);
                sigma[i * d + j] = sigma[j * d + i] = avg;
            }
        Cholesky.FactorLower(sigma, d);
        for (int i = 0; i < d; i++) for (int j = i + 1; j < d; j++) sigma[i * d + j] = 0;
        return sigma;
    }

    private double[] QTranspose(ReadOnlySpan<double> w)
    {
        int d = Dimension, r = _rank;
        var result = new double[r];
        for (int i = 0; i < d; i++)
        {
            double wi = w[i];
            for (int j = 0; j < r; j++) result[j] += _q[i * r + j] * wi;
        }
        return result;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
