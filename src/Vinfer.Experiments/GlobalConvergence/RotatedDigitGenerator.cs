using Vinfer.Data;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>
/// The generator G of the rotated-MNIST study (McNamara, Loper and Regier, "Globally Convergent Variational
/// Inference", NeurIPS 2024, §5.3): an MLP decoder latent → 256 → 256 → pixels (ReLU hidden units, tanh output),
/// trained by Vinfer as a Gaussian VAE (Kingma and Welling 2014; encoder pixels → 256 → 2×latent, analytic KL) on
/// digit images with intensities in [0, 1], then frozen: <see cref="Generate"/> uses its weights as constants, so
/// gradients flow to the latents only. The background of a generated digit is near 0, as is the zero fill of
/// <see cref="ImageRotation"/>, so a rotated digit has no seams.
/// </summary>
public sealed class RotatedDigitGenerator
{
    private readonly (Tensor Weight, Tensor Bias)[] _layers;

    /// <summary>A frozen generator from its dense layers' weights [out, in] and biases [out] (ReLU between, tanh after the last); the output must be a square image.</summary>
    public RotatedDigitGenerator(IReadOnlyList<(Tensor Weight, Tensor Bias)> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("RotatedDigitGenerator: needs at least one layer.", nameof(layers));
        for (int i = 0; i < layers.Count; i++)
        {
            var (w, b) = layers[i];
            if (w.Rank != 2 || b.Rank != 1 || b.Dim(0) != w.Dim(0) || (i > 0 && w.Dim(1) != layers[i - 1].Weight.Dim(0)))
                throw new ArgumentException($"RotatedDigitGenerator: layer {i} has weight [{string.Join(", ", w.Shape.ToArray())}] and bias [{string.Join(", ", b.Shape.ToArray())}], which do not chain.", nameof(layers));
        }
        _layers = layers.Select(l => (Tensor.FromArray(l.Weight.Span, l.Weight.Shape.ToArray()), Tensor.FromArray(l.Bias.Span, l.Bias.Shape.ToArray()))).ToArray();
        LatentSize = _layers[0].Weight.Dim(1);
        int pixels = _layers[^1].Weight.Dim(0);
        Side = (int)Math.Round(Math.Sqrt(pixels));
        if (Side * Side != pixels) throw new ArgumentException($"RotatedDigitGenerator: the output has {pixels} pixels, not a square image.", nameof(layers));
    }

    /// <summary>The latent dimension (64 in the study).</summary>
    public int LatentSize { get; }

    /// <summary>The image side (28).</summary>
    public int Side { get; }

    /// <summary>Pixels per image.</summary>
    public int Pixels => Side * Side;

    /// <summary>G(z): images [..., Pixels] for latents [..., LatentSize]; differentiable in z, constant in the weights.</summary>
    public Tensor Generate(Tensor latents)
    {
        ArgumentNullException.ThrowIfNull(latents);
        if (latents.Rank < 1 || latents.Dim(-1) != LatentSize)
            throw new ArgumentException($"RotatedDigitGenerator: latents need last dimension {LatentSize}, got shape [{string.Join(", ", latents.Shape.ToArray())}].", nameof(latents));
        var h = latents;
        for (int i = 0; i < _layers.Length; i++)
        {
            h = h.Linear(_layers[i].Weight, _layers[i].Bias);
            h = i < _layers.Length - 1 ? h.Relu() : h.Tanh();
        }
        return h;
    }

    /// <summary>
    /// <paramref name="count"/> images rotate(G(zᵢ), θ) + noise·εᵢ with zᵢ ∼ N(0, I) and one shared angle θ
    /// (radians), as [count, Side, Side], without gradients; the draws are keyed by <paramref name="key"/>.
    /// </summary>
    public Tensor Simulate(int count, double angle, double noise, RandomKey key)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
        if (!(noise >= 0)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be non-negative.");
        using var _ = GradMode.Disable();
        var z = new double[count * LatentSize];
        Vinfer.Random.Sample.Normal(key.Child(0), z);
        var images = Generate(Tensor.Wrap(z, count, LatentSize)).Reshape(count, Side, Side);
        var rotated = ImageRotation.Rotate(images, Tensor.Full(angle, count));
        var epsilon = new double[rotated.Count];
        Vinfer.Random.Sample.Normal(key.Child(1), epsilon);
        return rotated + noise * Tensor.Wrap(epsilon, count, Side, Side);
    }

    /// <summary>
    /// Trains the decoder as a Gaussian VAE (likelihood sd <paramref name="noise"/>, standard normal prior, one
    /// reparameterized draw, Adam 10⁻³, batches of 100) for <paramref name="epochs"/> epochs on <paramref name="images"/>
    /// and returns the frozen generator with the mean negative ELBO per image of each epoch (in nats, constants included).
    /// </summary>
    public static (RotatedDigitGenerator Generator, double[] NegativeElbo) Train(ImageSet images, int latentSize, int epochs, double noise, RandomKey key, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "epochs must be at least 1.");
        if (!(noise > 0)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be positive.");
        int pixels = images.PixelCount, n = images.Count, batchSize = Math.Min(100, n), batches = n / batchSize;
        var store = new ParamStore();
        using var use = store.Use();
        var random = new RandomStream(key.Child(0));
        var encoder = new Mlp("generator.encoder", pixels, [256], 2 * latentSize, Activation.Relu, random);
        var decoder = new Mlp("generator.decoder", latentSize, [256, 256], pixels, Activation.Relu, random, Activation.Tanh);
        var parameters = encoder.Parameters().Concat(decoder.Parameters()).ToArray();
        var adam = new Adam(1e-3);
        double constant = pixels * (Math.Log(noise) + 0.5 * Math.Log(2 * Math.PI));
        var curve = new double[epochs];
        var batch = new double[batchSize * pixels];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var epochKey = key.Child(1 + epoch);
            var order = ImageSet.Permutation(n, epochKey.Child(0));
            double sum = 0;
            for (int b = 0; b < batches; b++)
            {
                using var scope = new TensorScope();
                for (int i = 0; i < batchSize; i++) images.Image(order[b * batchSize + i]).CopyTo(batch.AsSpan(i * pixels, pixels));
                var x = Tensor.FromArray(batch, batchSize, pixels);
                var h = encoder.Forward(x);
                var mean = h.Narrow(-1, 0, latentSize);
                var logScale = h.Narrow(-1, latentSize, latentSize).Clamp(-8, 4);
                var epsilon = Tensor.Zeros(batchSize, latentSize);
                Vinfer.Random.Sample.Normal(epochKey.Child(1).Child(b), epsilon.Span);
                var z = mean + epsilon * logScale.Exp();
                var reconstruction = decoder.Forward(z);
                var negativeLogLikelihood = ((x - reconstruction).Square().Sum(-1) * (0.5 / (noise * noise))) + constant;
                var kl = ((mean.Square() + (2 * logScale).Exp() - 1 - 2 * logScale).Sum(-1)) * 0.5;
                var loss = (negativeLogLikelihood + kl).Mean();
                sum += loss.Item();
                loss.Backward();
                adam.Step(parameters);
                foreach (var (_, p) in parameters) p.ZeroGrad();
            }
            curve[epoch] = sum / batches;
            log?.Invoke(FormattableString.Invariant($"generator epoch {epoch + 1}/{epochs}: negative ELBO {curve[epoch]:F1} nats per image"));
        }
        var layers = decoder.Layers.Select(l => (l.Weight.Value.Detach(), l.Bias!.Value.Detach())).ToArray();
        return (new RotatedDigitGenerator(layers), curve);
    }
}
