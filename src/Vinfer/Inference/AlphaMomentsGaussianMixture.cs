using Vinfer.Random;

namespace Vinfer.Inference;

/// <summary>
/// A Gaussian-mixture variational density over ℝ^d with fixed diagonal components and weights fitted by the
/// monotonic alpha-divergence update (<see cref="AlphaMomentsMixtureWeights"/>; Daudel, Douc &amp; Roueff, JMLR 2023):
/// each <see cref="Step"/> draws samples from the mixture, weights them by (p/q)^{1−α}, self-normalized, and moves the
/// weights to the ζ-average of the responsibilities, damped. The components stay where they are put (for example
/// spread over the region the target may occupy, as in the paper's weight-only experiments).
/// </summary>
public sealed class AlphaMomentsGaussianMixture
{
    private readonly double[] _means, _sds;
    private double[] _weights;

    /// <summary>
    /// A mixture of <paramref name="weights"/>.Length components in <paramref name="dimension"/> dimensions,
    /// component j being N(means[j], diag(sds[j]²)) (both row-major [J, d]).
    /// </summary>
    public AlphaMomentsGaussianMixture(int dimension, double[] means, double[] sds, double[] weights)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), $"AlphaMomentsGaussianMixture: dimension must be at least 1, got {dimension}.");
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(sds);
        ArgumentNullException.ThrowIfNull(weights);
        int j = weights.Length;
        if (j < 1 || means.Length != j * dimension || sds.Length != j * dimension)
            throw new ArgumentException($"AlphaMomentsGaussianMixture: {weights.Length} weights, {means.Length} means and {sds.Length} sds do not make components of dimension {dimension}.");
        foreach (var s in sds) if (!(s > 0) || !double.IsFinite(s)) throw new ArgumentOutOfRangeException(nameof(sds), $"AlphaMomentsGaussianMixture: every sd must be positive and finite, got {s}.");
        foreach (var m in means) if (!double.IsFinite(m)) throw new ArgumentOutOfRangeException(nameof(means), $"AlphaMomentsGaussianMixture: every mean must be finite, got {m}.");
        double total = 0;
        foreach (var w in weights) { if (!(w >= 0)) throw new ArgumentOutOfRangeException(nameof(weights), $"AlphaMomentsGaussianMixture: weights must be non-negative, got {w}."); total += w; }
        if (Math.Abs(total - 1) > 1e-9) throw new ArgumentException($"AlphaMomentsGaussianMixture: the weights sum to {total}, not 1.", nameof(weights));
        Dimension = dimension;
        _means = (double[])means.Clone();
        _sds = (double[])sds.Clone();
        _weights = (double[])weights.Clone();
    }

    /// <summary>The dimension d.</summary>
    public int Dimension { get; }

    /// <summary>The number of components J.</summary>
    public int Components => _weights.Length;

    /// <summary>The current weights.</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>log k_j(x) for every point (row-major [n, d]) and component: row-major [n, J].</summary>
    public double[] ComponentLogDensities(ReadOnlySpan<double> points)
    {
        int d = Dimension, n = points.Length / d;
        if (n * d != points.Length) throw new ArgumentException($"AlphaMomentsGaussianMixture: {points.Length} coordinates are not points of dimension {d}.");
        var result = new double[n * Components];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < Components; j++)
            {
                double s = -0.5 * d * Math.Log(2 * Math.PI);
                for (int a = 0; a < d; a++)
                {
                    double sd = _sds[j * d + a], z = (points[i * d + a] - _means[j * d + a]) / sd;
                    s -= 0.5 * z * z + Math.Log(sd);
                }
                result[i * Components + j] = s;
            }
        return result;
    }

    /// <summary>log q(x) = log Σ_j w_j k_j(x) for every point (row-major [n, d]).</summary>
    public double[] LogDensity(ReadOnlySpan<double> points)
    {
        var logK = ComponentLogDensities(points);
        int n = logK.Length / Components;
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int j = 0; j < Components; j++) max = Math.Max(max, Math.Log(_weights[j]) + logK[i * Components + j]);
            double sum = 0;
            for (int j = 0; j < Components; j++) sum += Math.Exp(Math.Log(_weights[j]) + logK[i * Components + j] - max);
            result[i] = max + Math.Log(sum);
        }
        return result;
    }

    /// <summary><paramref name="count"/> draws from the mixture, row-major [count, d].</summary>
    public double[] Sample(RandomStream random, int count)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"AlphaMomentsGaussianMixture: count must be at least 1, got {count}.");
        var labels = new int[count];
        Random.Sample.Categorical(random.NextKey(), _weights, labels);
        var noise = new double[count * Dimension];
        Random.Sample.Normal(random.NextKey(), noise);
        for (int i = 0; i < count; i++)
            for (int a = 0; a < Dimension; a++)
            {
                int c = labels[i] * Dimension + a;
                noise[i * Dimension + a] = _means[c] + _sds[c] * noise[i * Dimension + a];
            }
        return noise;
    }

    /// <summary>
    /// One damped update of the weights from <paramref name="samples"/> draws of the current mixture, weighted by
    /// (p/q)^{1−α} with <paramref name="logTarget"/> giving log p (unnormalized) of points row-major [n, d]. Returns
    /// the effective sample size of the weights used.
    /// </summary>
    public double Step(RandomStream random, Func<double[], double[]> logTarget, double alpha, double damping, int samples)
    {
        ArgumentNullException.ThrowIfNull(logTarget);
        AlphaMomentsWeights.ValidateAlpha(alpha);
        AlphaMomentsGaussianUpdate.ValidateDamping(damping);
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), $"AlphaMomentsGaussianMixture: samples must be at least 2, got {samples}.");
        var points = Sample(random, samples);
        var logP = logTarget(points);
        if (logP.Length != samples) throw new InvalidOperationException($"AlphaMomentsGaussianMixture: the target gave {logP.Length} log-densities for {samples} points.");
        var weights = AlphaMomentsWeights.Importance(logP, LogDensity(points), alpha);
        _weights = AlphaMomentsMixtureWeights.Update(_weights, ComponentLogDensities(points), weights, damping);
        return AlphaMomentsWeights.EffectiveSampleSize(weights);
    }
}
