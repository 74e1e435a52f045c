using Vinfer.Random;

namespace Vinfer.Tests.Conjugate;

/// <summary>Points drawn from a known 2-D Gaussian mixture (fixed seed) for the mixture tests.</summary>
internal static class MixtureData
{
    public static readonly double[] Weights = [0.5, 0.3, 0.2];
    public static readonly double[] Means = [0.0, 0.0, 6.0, 1.0, -2.0, 7.0];
    public static readonly double[] Covariances = [1.0, 0.3, 0.3, 0.8, 0.5, -0.2, -0.2, 1.5, 2.0, 0.0, 0.0, 0.4];

    public static (double[] Points, int[] Labels) Draw(int count, ulong seed)
    {
        var key = new RandomKey(seed);
        var labels = new int[count];
        Sample.Categorical(key.Child(0), Weights, labels);
        var z = new double[2 * count];
        Sample.Normal(key.Child(1), z);
        var points = new double[2 * count];
        for (int n = 0; n < count; n++)
        {
            int k = labels[n];
            // x = μ + L z with L the Cholesky factor of Σ_k.
            double a = Covariances[4 * k], b = Covariances[4 * k + 1], c = Covariances[4 * k + 3];
            double l00 = Math.Sqrt(a), l10 = b / l00, l11 = Math.Sqrt(c - l10 * l10);
            points[2 * n] = Means[2 * k] + l00 * z[2 * n];
            points[2 * n + 1] = Means[2 * k + 1] + l10 * z[2 * n] + l11 * z[2 * n + 1];
        }
        return (points, labels);
    }
}
