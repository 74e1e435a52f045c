using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Models.Vae;

/// <summary>
/// The Bayesian VAE of Margossian and Blei, "Amortized Variational Inference: When and Why?" (UAI 2024, §5): local
/// latents z_n ∼ N(0, I_D), a decoder f_θ whose weights θ have a N(0, σ₀²) prior and a mean-field Gaussian
/// q(θ) (<see cref="BayesianMlp"/>), and a Gaussian likelihood x_n | z_n, θ ∼ N(f_θ(z_n), σ²I). The local factors
/// q(z_n) = N(m_n, diag exp(2s_n)) come from outside (F-VI's own parameters, an encoder's outputs or one shared pair):
/// <see cref="Elbo"/> takes their means and log-scales for a minibatch. The objective is the minibatch estimate
/// (N/B)·Σ_b (E_q[log p(x_b | z_b, θ)] − KL(q(z_b) ‖ p(z_b))) − KL(q(θ) ‖ p(θ)), with both KL terms in closed form and
/// the expected log-likelihood from reparameterized draws of (θ, z); every normalizing constant is included.
/// </summary>
public sealed class BayesianVae
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Builds the model around a weight-uncertain decoder.</summary>
    /// <param name="decoder">f_θ: latent size → pixels.</param>
    /// <param name="noiseScale">σ, the likelihood's standard deviation.</param>
    /// <param name="priorScale">σ₀, the prior standard deviation of every weight.</param>
    public BayesianVae(BayesianMlp decoder, double noiseScale, double priorScale = 1)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        if (!(noiseScale > 0 && double.IsFinite(noiseScale)))
            throw new ArgumentOutOfRangeException(nameof(noiseScale), noiseScale, "BayesianVae: the likelihood's noise scale must be positive and finite.");
        if (!(priorScale > 0 && double.IsFinite(priorScale)))
            throw new ArgumentOutOfRangeException(nameof(priorScale), priorScale, "BayesianVae: the weights' prior scale must be positive and finite.");
        Decoder = decoder;
        NoiseScale = noiseScale;
        PriorScale = priorScale;
    }

    /// <summary>The weight-uncertain decoder.</summary>
    public BayesianMlp Decoder { get; }

    /// <summary>D, the latent size.</summary>
    public int LatentSize => Decoder.InputSize;

    /// <summary>P, the pixels per image.</summary>
    public int Pixels => Decoder.OutputSize;

    /// <summary>σ.</summary>
    public double NoiseScale { get; }

    /// <summary>σ₀.</summary>
    public double PriorScale { get; }

    /// <summary>
    /// The ELBO estimate for a minibatch x [B, P] of a data set of <paramref name="totalCount"/> images, with local
    /// factors of means <paramref name="latentLoc"/> and log-scales <paramref name="latentLogScale"/> ([B, D], or [1, D]
    /// for one shared factor), averaging <paramref name="samples"/> joint draws of (θ, z) taken from
    /// <paramref name="key"/> (sample j: the decoder's noise from child 2j, z's from child 2j + 1). A scalar.
    /// </summary>
    public Tensor Elbo(Tensor x, Tensor latentLoc, Tensor latentLogScale, int totalCount, RandomKey key, int samples = 1)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(latentLoc);
        ArgumentNullException.ThrowIfNull(latentLogScale);
        if (x.Rank != 2 || x.Dim(1) != Pixels)
            throw new ArgumentException($"BayesianVae: expected images [batch, {Pixels}], got shape [{string.Join(", ", x.Shape.ToArray())}].", nameof(x));
        int batch = x.Dim(0);
        if (totalCount < batch) throw new ArgumentOutOfRangeException(nameof(totalCount), totalCount, $"BayesianVae: the data set's size must be at least the batch's ({batch}).");
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "BayesianVae: samples must be at least 1.");
        CheckLocal(latentLoc, batch, nameof(latentLoc));
        CheckLocal(latentLogScale, batch, nameof(latentLogScale));
        var loc = latentLoc.Dim(0) == batch ? latentLoc : latentLoc.Expand(batch, LatentSize);
        var logScale = latentLogScale.Dim(0) == batch ? latentLogScale : latentLogScale.Expand(batch, LatentSize);
        var scale = logScale.Exp();
        Tensor? expected = null;
        for (int j = 0; j < samples; j++)
        {
            var epsilon = Tensor.Zeros(batch, LatentSize);
            Sample.Normal(key.Child(2 * j + 1), epsilon.Span);
            var z = loc + scale * epsilon;
            var residual = x - Decoder.Forward(z, key.Child(2 * j));
            var term = residual.Square().Sum();
            expected = expected is null ? term : expected + term;
        }
        double logNormalizer = batch * Pixels * (Math.Log(NoiseScale) + HalfLogTwoPi);
        var logLikelihood = expected! * (-0.5 / (NoiseScale * NoiseScale * samples)) - logNormalizer;
        // KL(N(m, e^{2s}) ‖ N(0, 1)) = ½(e^{2s} + m² − 1) − s per coordinate.
        var localDivergence = ((logScale * 2).Exp() + loc.Square()).Sum() * 0.5 - logScale.Sum() - 0.5 * batch * LatentSize;
        return (logLikelihood - localDivergence) * ((double)totalCount / batch) - Decoder.KullbackLeiblerToPrior(PriorScale);
    }

    /// <summary>
    /// The reconstruction error of images x [B, P] from latent means [B, D]: the mean over images and pixels of
    /// (f_{E[θ]}(E[z_n]) − x_n)², the decoder at its weights' posterior means.
    /// </summary>
    public double ReconstructionError(Tensor x, Tensor latentLoc)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(latentLoc);
        CheckLocal(latentLoc, x.Dim(0), nameof(latentLoc));
        using var _ = GradMode.Disable();
        var loc = latentLoc.Dim(0) == x.Dim(0) ? latentLoc : latentLoc.Expand(x.Dim(0), LatentSize);
        return (Decoder.Forward(loc) - x).Square().Mean().Item();
    }

    private void CheckLocal(Tensor t, int batch, string argument)
    {
        if (t.Rank != 2 || t.Dim(1) != LatentSize || (t.Dim(0) != batch && t.Dim(0) != 1))
            throw new ArgumentException($"BayesianVae: {argument} must be [{batch}, {LatentSize}] or [1, {LatentSize}], got shape [{string.Join(", ", t.Shape.ToArray())}].", argument);
    }
}
