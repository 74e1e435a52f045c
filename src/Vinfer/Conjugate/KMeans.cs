using Vinfer.Random;

namespace Vinfer.Conjugate;

/// <summary>
/// k-means clustering as scikit-learn's KMeans(n_init = 1) runs it to initialize its mixtures: greedy k-means++
/// seeding (Arthur and Vassilvitskii 2007; 2 + ⌊log K⌋ candidate centers per step, the one lowering the potential
/// most is kept), then Lloyd's iterations until the squared movement of the centers is at most
/// tolerance × (mean per-coordinate variance of the data) or the iteration limit. An empty cluster keeps its center
/// (scikit-learn moves it to a far point instead). Assignment passes run on all cores, with partial sums kept per
/// block and added in order, so the result depends only on the seed.
/// </summary>
public static class KMeans
{
    /// <summary>The labels (0…K−1) of the <paramref name="count"/> points, the centers (K×d) and the iterations used.</summary>
    public static (int[] Labels, double[] Centers, int Iterations) Fit(ReadOnlySpan<double> data, int count, int dimension, int clusters,
        RandomKey key, int maxIterations = 300, double tolerance = 1e-4)
    {
        int n = count, d = dimension, k = clusters;
        if (d < 1 || n < 1 || data.Length != n * d) throw new ArgumentException($"data has {data.Length} values, expected {n}×{d}.", nameof(data));
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(clusters), k, $"must be between 1 and the number of points ({n}).");
        var x = data.ToArray();
        var centers = Seed(x, n, d, k, key);
        double varianceScale = MeanVariance(x, n, d) * tolerance;
        var labels = new int[n];
        int iterations = 0;
        const int block = 8192;
        int blocks = (n + block - 1) / block;
        var sums = new double[blocks * k * d];
        var counts = new double[blocks * k];
        while (iterations < maxIterations)
        {
            iterations++;
            Array.Clear(sums); Array.Clear(counts);
            var current = centers;
            Parallel.For(0, blocks, b =>
            {
                int start = b * block, end = Math.Min(n, start + block);
                var s = sums.AsSpan(b * k * d, k * d);
                var c = counts.AsSpan(b * k, k);
                for (int r = start; r < end; r++)
                {
                    int best = Nearest(x.AsSpan(r * d, d), current, k, d, out _);
                    labels[r] = best;
                    c[best]++;
                    for (int i = 0; i < d; i++) s[best * d + i] += x[r * d + i];
                }
            });
            var next = (double[])centers.Clone();
            for (int c = 0; c < k; c++)
            {
                double total = 0;
                var mean = new double[d];
                for (int b = 0; b < blocks; b++)
                {
                    total += counts[b * k + c];
                    for (int i = 0; i < d; i++) mean[i] += sums[(b * k + c) * d + i];
                }
                if (total > 0) for (int i = 0; i < d; i++) next[c * d + i] = mean[i] / total;
            }
            double shift = 0;
            for (int i = 0; i < next.Length; i++) shift += (next[i] - centers[i]) * (next[i] - centers[i]);
            centers = next;
            if (shift <= varianceScale) break;
        }
        // Labels of the final centers.
        Parallel.For(0, blocks, b =>
        {
            int start = b * block, end = Math.Min(n, start + block);
            for (int r = start; r < end; r++) labels[r] = Nearest(x.AsSpan(r * d, d), centers, k, d, out _);
        });
        return (labels, centers, iterations);
    }

    private static double MeanVariance(double[] x, int n, int d)
    {
        double total = 0;
        for (int i = 0; i < d; i++)
        {
            double mean = 0, squares = 0;
            for (int r = 0; r < n; r++) mean += x[r * d + i];
            mean /= n;
            for (int r = 0; r < n; r++) squares += (x[r * d + i] - mean) * (x[r * d + i] - mean);
            total += squares / n;
        }
        return total / d;
    }

    internal static int Nearest(ReadOnlySpan<double> point, double[] centers, int k, int d, out double distance)
    {
        int best = 0;
        distance = double.PositiveInfinity;
        for (int c = 0; c < k; c++)
        {
            double s = 0;
            for (int i = 0; i < d; i++) { double t = point[i] - centers[c * d + i]; s += t * t; }
            if (s < distance) { distance = s; best = c; }
        }
        return best;
    }

    /// <summary>Greedy k-means++: each new center is the best of 2 + ⌊log K⌋ candidates drawn with probability ∝ D(x)².</summary>
    private static double[] Seed(double[] x, int n, int d, int k, RandomKey key)
    {
        var centers = new double[k * d];
        int trials = 2 + (int)Math.Log(k);
        var stream = new RandomStream(key);
        var u = new double[1];
        Sample.Uniform(stream.NextKey(), u);
        int first = Math.Min((int)(u[0] * n), n - 1);
        Array.Copy(x, first * d, centers, 0, d);
        var closest = new double[n];
        for (int r = 0; r < n; r++) closest[r] = Squared(x, r, centers, 0, d);
        var candidateDistances = new double[n];
        var bestDistances = new double[n];
        var draws = new double[trials];
        for (int c = 1; c < k; c++)
        {
            double potential = closest.Sum();
            Sample.Uniform(stream.NextKey(), draws);
            double bestPotential = double.PositiveInfinity;
            int bestCandidate = -1;
            foreach (double draw in draws)
            {
                int candidate = SampleProportional(closest, draw * potential);
                double candidatePotential = 0;
                for (int r = 0; r < n; r++)
                {
                    candidateDistances[r] = Math.Min(closest[r], Squared(x, r, x, candidate, d));
                    candidatePotential += candidateDistances[r];
                }
                if (candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestCandidate = candidate;
                    candidateDistances.CopyTo(bestDistances, 0);
                }
            }
            Array.Copy(x, bestCandidate * d, centers, c * d, d);
            bestDistances.CopyTo(closest, 0);
        }
        return centers;
    }

    private static int SampleProportional(double[] weights, double target)
    {
        double cumulative = 0;
        for (int r = 0; r < weights.Length; r++)
        {
            cumulative += weights[r];
            if (cumulative > target && weights[r] > 0) return r;
        }
        for (int r = weights.Length - 1; r >= 0; r--) if (weights[r] > 0) return r;
        return weights.Length - 1;
    }

    internal static double Squared(double[] x, int row, double[] y, int other, int d)
    {
        double s = 0;
        for (int i = 0; i < d; i++) { double t = x[row * d + i] - y[other * d + i]; s += t * t; }
        return s;
    }
}
