using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Models.Vae;

/// <summary>
/// The evaluation of Burda, Grosse and Salakhutdinov (2016, section 5): the test log-likelihood log p(x) estimated by
/// the importance-weighted bound with many samples (5,000 in the paper), computed in chunks of samples with a running
/// log-sum-exp so that memory stays bounded, and the number of active units, A_u = Cov_x(E_{q(u|x)}[u]) &gt; 10⁻²
/// (section 5.2), counted per stochastic layer.
/// </summary>
public static class VaeEvaluation
{
    /// <summary>
    /// log p̂(x) per image of binary images x [N, P]: log (1/S) Σ_s w_s with S = <paramref name="samples"/>, drawn in
    /// chunks of <paramref name="chunk"/> samples over mini-batches of <paramref name="batch"/> images.
    /// </summary>
    public static double[] LogLikelihoods(BurdaVae vae, ReadOnlySpan<double> images, int samples, RandomKey key, int chunk = 500, int batch = 100)
    {
        ArgumentNullException.ThrowIfNull(vae);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"importance samples must be at least 1, got {samples}.");
        if (chunk < 1 || batch < 1) throw new ArgumentOutOfRangeException(nameof(chunk), $"chunk {chunk} and batch {batch} must be positive.");
        int p = vae.Pixels;
        if (images.Length % p != 0) throw new ArgumentException($"{images.Length} pixel values are not a whole number of {p}-pixel images.", nameof(images));
        int n = images.Length / p;
        var result = new double[n];
        using var noGrad = GradMode.Disable();
        for (int start = 0; start < n; start += batch)
        {
            int b = Math.Min(batch, n - start);
            var x = Tensor.FromArray(images.Slice(start * p, b * p), b, p);
            var running = new double[b];
            Array.Fill(running, double.NegativeInfinity);
            for (int done = 0, c = 0; done < samples; c++)
            {
                int k = Math.Min(chunk, samples - done);
                using (new TensorScope())
                {
                    var lse = vae.LogWeights(x, k, key.Child((long)start).Child((long)c)).LogSumExp(0);
                    var span = lse.Span;
                    for (int i = 0; i < b; i++) running[i] = LogAddExp(running[i], span[i]);
                }
                done += k;
            }
            for (int i = 0; i < b; i++) result[start + i] = running[i] - Math.Log(samples);
        }
        return result;
    }

    private static double LogAddExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        double m = Math.Max(a, b);
        return m + double.LogP1(Math.Exp(-Math.Abs(a - b)));
    }

    /// <summary>
    /// Active units per stochastic layer (bottom-up): the number of latent dimensions whose posterior mean
    /// E_q[u | x] (exact for the first layer; for the second, the conditional mean averaged over <paramref name="samples"/> draws of its parent) varies over the images with variance above 10⁻².
    /// </summary>
    public static int[] ActiveUnits(BurdaVae vae, ReadOnlySpan<double> images, RandomKey key, int samples = 20, double threshold = 1e-2, int batch = 100)
    {
        ArgumentNullException.ThrowIfNull(vae);
        int p = vae.Pixels, n = images.Length / p;
        if (n < 2) throw new ArgumentException($"active units need at least 2 images, got {n}.", nameof(images));
        double[][]? sums = null, squares = null;
        using var noGrad = GradMode.Disable();
        for (int start = 0; start < n; start += batch)
        {
            int b = Math.Min(batch, n - start);
            using var scope = new TensorScope();
            var x = Tensor.FromArray(images.Slice(start * p, b * p), b, p);
            var (_, latents, _) = vae.GuideWithMeans(x, samples, key.Child((long)start));
            sums ??= latents.Select(z => new double[z.Dim(-1)]).ToArray();
            squares ??= latents.Select(z => new double[z.Dim(-1)]).ToArray();
            for (int l = 0; l < latents.Length; l++)
            {
                var mean = latents[l].Mean(0).Span; // [b, d]
                int d = sums[l].Length;
                for (int i = 0; i < b; i++)
                    for (int j = 0; j < d; j++)
                    {
                        double v = mean[i * d + j];
                        sums[l][j] += v;
                        squares[l][j] += v * v;
                    }
            }
        }
        var active = new int[sums!.Length];
        for (int l = 0; l < active.Length; l++)
            for (int j = 0; j < sums[l].Length; j++)
            {
                double m = sums[l][j] / n;
                double variance = (squares![l][j] - n * m * m) / (n - 1);
                if (variance > threshold) active[l]++;
            }
        return active;
    }
}
