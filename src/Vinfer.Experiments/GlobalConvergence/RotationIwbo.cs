using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>
/// The likelihood-based side of the rotated-MNIST study (McNamara, Loper and Regier, "Globally Convergent Variational
/// Inference", NeurIPS 2024, §5.3): the shared angle θ is a parameter, each image's latent zᵢ has an amortized Gaussian
/// q(zᵢ | xᵢ) = N(mᵢ, diag exp(sᵢ)²), and both are fitted by the importance-weighted bound (Burda, Grosse and
/// Salakhutdinov, "Importance weighted autoencoders", ICLR 2016) of the model zᵢ ∼ N(0, I),
/// xᵢ | zᵢ, θ ∼ N(rotate(G(zᵢ), θ), σ² I):
/// IWBO = Σᵢ log (1/K) Σₖ p(xᵢ, zᵢₖ | θ) / q(zᵢₖ | xᵢ), zᵢₖ = mᵢ + exp(sᵢ) εᵢₖ. Its gradient in θ goes through the
/// differentiable rotation (<see cref="ImageRotation"/>), and the bound is a multimodal function of θ: it is the
/// objective the paper shows getting stuck.
/// </summary>
public static class RotationIwbo
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>
    /// Log importance weights log p(xᵢ | zᵢₖ, θ) + log p(zᵢₖ) − log q(zᵢₖ | xᵢ), shape [K, B], for images [B, P] (P = side²),
    /// a scalar angle θ (radians), the encoder's means and log-sds [B, d] and standard normal noise [K, B, d].
    /// </summary>
    public static Tensor LogWeights(RotatedDigitGenerator generator, Tensor images, Tensor angle, Tensor mean, Tensor logScale, Tensor noise, double observationNoise)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(angle);
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(logScale);
        ArgumentNullException.ThrowIfNull(noise);
        if (!(observationNoise > 0)) throw new ArgumentOutOfRangeException(nameof(observationNoise), observationNoise, "the observation noise sd must be positive.");
        int d = generator.LatentSize, side = generator.Side;
        if (images.Rank != 2 || images.Dim(1) != generator.Pixels)
            throw new ArgumentException($"RotationIwbo: images need shape [B, {generator.Pixels}], got [{string.Join(", ", images.Shape.ToArray())}].", nameof(images));
        int b = images.Dim(0);
        if (noise.Rank != 3 || noise.Dim(1) != b || noise.Dim(2) != d)
            throw new ArgumentException($"RotationIwbo: noise needs shape [K, {b}, {d}], got [{string.Join(", ", noise.Shape.ToArray())}].", nameof(noise));
        if (angle.Count != 1) throw new ArgumentException($"RotationIwbo: the angle must hold one value, got {angle.Count}.", nameof(angle));
        int k = noise.Dim(0);
        var z = mean + noise * logScale.Exp();                                          // [K, B, d]
        var generated = generator.Generate(z).Reshape(k * b, side, side);
        var rotated = ImageRotation.Rotate(generated, angle.Reshape(1).Expand(k * b)).Reshape(k, b, generator.Pixels);
        double inverseVariance = 1 / (observationNoise * observationNoise);
        var logLikelihood = (images - rotated).Square().Sum(-1) * (-0.5 * inverseVariance) - generator.Pixels * (Math.Log(observationNoise) + HalfLogTwoPi);
        var logPrior = z.Square().Sum(-1) * -0.5 - d * HalfLogTwoPi;
        var logQ = noise.Square().Sum(-1) * -0.5 - logScale.Sum(-1) - d * HalfLogTwoPi;   // [K, B] (logScale [B, d] sums to [B])
        return logLikelihood + logPrior - logQ;
    }

    /// <summary>
    /// The IWBO of a minibatch scaled to the whole set: (N/B) Σ_b [logsumexp_k w_kb − log K] for log weights [K, B]
    /// and a set of <paramref name="totalImages"/> = N images.
    /// </summary>
    public static Tensor Bound(Tensor logWeights, int totalImages)
    {
        ArgumentNullException.ThrowIfNull(logWeights);
        if (logWeights.Rank != 2) throw new ArgumentException($"RotationIwbo: log weights need shape [K, B], got [{string.Join(", ", logWeights.Shape.ToArray())}].", nameof(logWeights));
        if (totalImages < 1) throw new ArgumentOutOfRangeException(nameof(totalImages), totalImages, "totalImages must be at least 1.");
        int k = logWeights.Dim(0), b = logWeights.Dim(1);
        return (logWeights.LogSumExp(0) - Math.Log(k)).Sum() * ((double)totalImages / b);
    }
}
