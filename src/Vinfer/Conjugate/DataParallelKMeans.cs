using Vinfer.Distributed;
using Vinfer.Random;

namespace Vinfer.Conjugate;

/// <summary>
/// <see cref="KMeans"/> (greedy k-means++ seeding, Arthur and Vassilvitskii 2007, then Lloyd's iterations) over points
/// split across processes: each process holds a contiguous block of the rows, in order, and the same random stream.
/// Every choice the single-process algorithm makes from all the points is made here from sums over processes
/// (allreduces): the first center's global index, the potential, the D²-proportional draw located in the process whose
/// cumulative block contains it, the candidates' potentials, the per-cluster sums of Lloyd's step. The result equals
/// <see cref="KMeans.Fit"/> on all the points up to the order of the floating-point sums; labels are the local rows'.
/// </summary>
public static class DataParallelKMeans
{
    /// <summary>The labels of this process's <paramref name="count"/> points, the centers (K×d) and the iterations used.</summary>
    public static (int[] Labels, double[] Centers, int Iterations) Fit(ReadOnlySpan<double> data, int count, int dimension, int clusters,
        RandomKey key, ICommunicator communicator, int maxIterations = 300, double tolerance = 1e-4)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        int n = count, d = dimension, k = clusters, size = communicator.Size, rank = communicator.Rank;
        if (d < 1 || n < 1 || data.Length != n * d) throw new ArgumentException($"data has {data.Length} values, expected {n}×{d}.", nameof(data));
        var blockCounts = new double[size];
        blockCounts[rank] = n;
        communicator.AllreduceSum(blockCounts);
        long offset = 0, total = 0;
        for (int r = 0; r < size; r++) { if (r < rank) offset += (long)blockCounts[r]; total += (long)blockCounts[r]; }
        if (k < 1 || k > total) throw new ArgumentOutOfRangeException(nameof(clusters), k, $"must be between 1 and the number of points ({total}).");
        var x = data.ToArray();
        var centers = Seed(x, n, d, k, key, communicator, offset, total);
        double varianceScale = MeanVariance(x, n, d, total, communicator) * tolerance;
        var labels = new int[n];
        int iterations = 0;
        var sums = new double[k * d + k];
        while (iterations < maxIterations)
        {
            iterations++;
            Array.Clear(sums);
            for (int r = 0; r < n; r++)
            {
                int best = KMeans.Nearest(x.AsSpan(r * d, d), centers, k, d, out _);
                sums[k * d + best]++;
                for (int i = 0; i < d; i++) sums[best * d + i] += x[r * d + i];
            }
            communicator.AllreduceSum(sums);
            var next = (double[])centers.Clone();
            for (int c = 0; c < k; c++)
                if (sums[k * d + c] > 0) for (int i = 0; i < d; i++) next[c * d + i] = sums[c * d + i] / sums[k * d + c];
            double shift = 0;
            for (int i = 0; i < next.Length; i++) shift += (next[i] - centers[i]) * (next[i] - centers[i]);
            centers = next;
            if (shift <= varianceScale) break;
        }
        for (int r = 0; r < n; r++) labels[r] = KMeans.Nearest(x.AsSpan(r * d, d), centers, k, d, out _);
        return (labels, centers, iterations);
    }

    private static double MeanVariance(double[] x, int n, int d, long total, ICommunicator communicator)
    {
        var means = new double[d];
        for (int i = 0; i < d; i++) for (int r = 0; r < n; r++) means[i] += x[r * d + i];
        communicator.AllreduceSum(means);
        for (int i = 0; i < d; i++) means[i] /= total;
        var squares = new double[d];
        for (int i = 0; i < d; i++) for (int r = 0; r < n; r++) squares[i] += (x[r * d + i] - means[i]) * (x[r * d + i] - means[i]);
        communicator.AllreduceSum(squares);
        double sum = 0;
        for (int i = 0; i < d; i++) sum += squares[i] / total;
        return sum / d;
    }

    /// <summary>Row <paramref name="global"/> of all the points, copied from the process that holds it.</summary>
    private static double[] Row(double[] x, int n, int d, long global, long offset, ICommunicator communicator)
    {
        var row = new double[d];
        if (global >= offset && global < offset + n) Array.Copy(x, (global - offset) * d, row, 0, d);
        communicator.AllreduceSum(row); // zeros elsewhere: the sum is the row exactly
        return row;
    }

    private static double Sum(double[] values, ICommunicator communicator)
    {
        Span<double> s = [values.Sum()];
        communicator.AllreduceSum(s);
        return s[0];
    }

    private static double[] Seed(double[] x, int n, int d, int k, RandomKey key, ICommunicator communicator, long offset, long total)
    {
        var centers = new double[k * d];
        int trials = 2 + (int)Math.Log(k);
        var stream = new RandomStream(key);
        var u = new double[1];
        Sample.Uniform(stream.NextKey(), u);
        long first = Math.Min((long)(u[0] * total), total - 1);
        Row(x, n, d, first, offset, communicator).CopyTo(centers, 0);
        var closest = new double[n];
        for (int r = 0; r < n; r++) closest[r] = Distance(x, r, centers, 0, d);
        var candidateDistances = new double[n];
        var bestDistances = new double[n];
        var draws = new double[trials];
        int size = communicator.Size, rank = communicator.Rank;
        var blockSums = new double[size];
        for (int c = 1; c < k; c++)
        {
            Array.Clear(blockSums);
            blockSums[rank] = closest.Sum();
            communicator.AllreduceSum(blockSums);
            double potential = 0, before = 0;
            for (int r = 0; r < size; r++) { if (r == rank) before = potential; potential += blockSums[r]; }
            Sample.Uniform(stream.NextKey(), draws);
            double bestPotential = double.PositiveInfinity;
            double[]? bestCenter = null;
            foreach (double draw in draws)
            {
                long candidate = SampleProportional(closest, before, draw * potential, offset, total, communicator);
                var point = Row(x, n, d, candidate, offset, communicator);
                for (int r = 0; r < n; r++) candidateDistances[r] = Math.Min(closest[r], Distance(x, r, point, 0, d));
                double candidatePotential = Sum(candidateDistances, communicator);
                if (candidatePotential < bestPotential)
                {
                    bestPotential = candidatePotential;
                    bestCenter = point;
                    candidateDistances.CopyTo(bestDistances, 0);
                }
            }
            bestCenter!.CopyTo(centers, c * d);
            bestDistances.CopyTo(closest, 0);
        }
        return centers;
    }

    /// <summary>
    /// The first global row whose cumulative weight exceeds <paramref name="target"/> (and whose weight is positive),
    /// else the last row of positive weight: each process searches its block from its cumulative start
    /// <paramref name="before"/>, and one allreduce(MAX) picks the earliest hit.
    /// </summary>
    private static long SampleProportional(double[] weights, double before, double target, long offset, long total, ICommunicator communicator)
    {
        Span<double> found = [0, 0];
        double cumulative = before;
        for (int r = 0; r < weights.Length; r++)
        {
            cumulative += weights[r];
            if (cumulative > target && weights[r] > 0) { found[0] = total - (offset + r); break; }
        }
        for (int r = weights.Length - 1; r >= 0; r--) if (weights[r] > 0) { found[1] = offset + r + 1; break; }
        communicator.AllreduceMax(found);
        if (found[0] > 0) return total - (long)found[0];
        return found[1] > 0 ? (long)found[1] - 1 : total - 1;
    }

    private static double Distance(double[] x, int row, double[] y, int other, int d) => KMeans.Squared(x, row, y, other, d);
}
