using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Models.Vae;

/// <summary>
/// The Bernoulli VAEs of Burda, Grosse and Salakhutdinov ("Importance weighted autoencoders", ICLR 2016, section 5):
/// one stochastic layer (encoder 784-200-200-(2×50), decoder 50-200-200-784) or two (q(h1|x): 784-200-200-(2×100),
/// q(h2|h1): 100-100-100-(2×50); p(h1|h2): 50-100-100-(2×100), p(x|h1): 100-200-200-784), tanh hidden units, diagonal
/// Gaussian layers with standard deviation exp(·), a standard normal prior on the top layer and a Bernoulli likelihood
/// with logits. <see cref="LogWeights"/> gives the log importance weights log p(x, z_k) − log q(z_k | x) of K
/// reparameterized draws per data point, shape [K, B]; the objectives are functions of these (<see cref="VaeBounds"/>).
/// Parameters live in the current ParamStore under <c>name.encoder…</c> and <c>name.decoder…</c>. With
/// <see cref="Precision.Float32"/> the networks run in float32 (float64 master weights) and the Bernoulli likelihood is
/// computed on the decoder's float32 logits (<see cref="Mlp.BernoulliLogProb(Tensor, Tensor)"/>); the Gaussian terms,
/// the log-weights and the bounds stay float64.
/// </summary>
public sealed class BurdaVae
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);
    private readonly Mlp[] _encoders;   // bottom-up: x → h1 → h2
    private readonly Mlp[] _decoders;   // top-down: h_L → … → x
    private readonly int[] _latentSizes; // bottom-up

    /// <summary>Builds the network with <paramref name="stochasticLayers"/> (1 or 2) stochastic layers for images of <paramref name="pixels"/> pixels.</summary>
    public BurdaVae(string name, int stochasticLayers, RandomStream random, int pixels = 784, Precision precision = Precision.Float64)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(random);
        if (stochasticLayers is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(stochasticLayers), $"BurdaVae '{name}': stochastic layers must be 1 or 2, got {stochasticLayers}.");
        if (pixels < 1) throw new ArgumentOutOfRangeException(nameof(pixels), $"BurdaVae '{name}': pixels must be positive, got {pixels}.");
        Name = name;
        Pixels = pixels;
        Precision = precision;
        if (stochasticLayers == 1)
        {
            _latentSizes = [50];
            _encoders = [new Mlp($"{name}.encoder.0", pixels, [200, 200], 100, Activation.Tanh, random, precision: precision)];
            _decoders = [new Mlp($"{name}.decoder.0", 50, [200, 200], pixels, Activation.Tanh, random, precision: precision)];
        }
        else
        {
            _latentSizes = [100, 50];
            _encoders =
            [
                new Mlp($"{name}.encoder.0", pixels, [200, 200], 200, Activation.Tanh, random, precision: precision),
                new Mlp($"{name}.encoder.1", 100, [100, 100], 100, Activation.Tanh, random, precision: precision),
            ];
            _decoders =
            [
                new Mlp($"{name}.decoder.0", 50, [100, 100], 200, Activation.Tanh, random, precision: precision),
                new Mlp($"{name}.decoder.1", 100, [200, 200], pixels, Activation.Tanh, random, precision: precision),
            ];
        }
    }

    /// <summary>The model's name (parameter prefix).</summary>
    public string Name { get; }

    /// <summary>The arithmetic of the networks.</summary>
    public Precision Precision { get; }

    /// <summary>Pixels per image (the input and output size).</summary>
    public int Pixels { get; }

    /// <summary>Number of stochastic layers.</summary>
    public int StochasticLayers => _latentSizes.Length;

    /// <summary>Size of the top latent layer (the one whose active units are counted and from whose prior samples are drawn).</summary>
    public int TopLatentSize => _latentSizes[^1];

    /// <summary>The encoder networks (bottom-up) followed by the decoder networks (top-down).</summary>
    public IReadOnlyList<Module> Modules => [.. _encoders, .. _decoders];

    /// <summary>Every trainable parameter, as the optimizer takes them.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> Parameters() => Modules.SelectMany(m => m.Parameters());

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad() { foreach (var m in Modules) m.ZeroGrad(); }

    /// <summary>The encoder's mean and log standard deviation of the first (or only) latent layer for images x [B, P].</summary>
    public (Tensor Mean, Tensor LogScale) Encode(Tensor x)
    {
        CheckImages(x);
        var h = _encoders[0].Forward(x);
        int d = _latentSizes[0];
        return (h.Narrow(-1, 0, d), h.Narrow(-1, d, d));
    }

    /// <summary>The decoder's Bernoulli logits [..., P] for top-layer latents [..., TopLatentSize] (for 2 layers, from the mean of p(h1|h2)).</summary>
    public Tensor DecodeMeanLogits(Tensor top)
    {
        var h = top;
        for (int l = 0; l < _decoders.Length - 1; l++)
            h = _decoders[l].Forward(h).Narrow(-1, 0, _latentSizes[_latentSizes.Length - 2 - l]);
        return _decoders[^1].Forward(h);
    }

    /// <summary>
    /// Log importance weights [K, B] of K reparameterized draws z ~ q(z|x) per image of x [B, P] (binary pixels),
    /// drawing the standard normal noise from <paramref name="key"/>. With <paramref name="detachGuideParameters"/>
    /// the density log q is evaluated with its parameters cut from the graph (the draws keep their path), and with
    /// <paramref name="detachModelParameters"/> the decoder's weights are cut: the two pieces of the doubly
    /// reparameterized estimator (Tucker, Lawson, Gu and Maddison 2019).
    /// </summary>
    public Tensor LogWeights(Tensor x, int k, RandomKey key, bool detachGuideParameters = false, bool detachModelParameters = false, bool detachDraws = false)
    {
        var (latents, logQ) = Guide(x, k, key, detachGuideParameters, detachDraws);
        return LogJoint(x, latents, detachModelParameters) - logQ;
    }

    /// <summary>K draws per image from q(z|x) (bottom-up, each [K, B, d_l]) and their log density log q [K, B].</summary>
    public (Tensor[] Latents, Tensor LogQ) Guide(Tensor x, int k, RandomKey key, bool detachParameters = false, bool detachDraws = false)
    {
        var (latents, _, logQ) = GuideWithMeans(x, k, key, detachParameters, detachDraws);
        return (latents, logQ);
    }

    /// <summary>
    /// As <see cref="Guide"/>, also returning each layer's conditional mean E_q[z_l | z_{l−1}] at the drawn parent
    /// (for the first layer, the encoder's mean of x, broadcast over K): averaged over K these estimate E_q[z_l | x]
    /// without the draws' own noise, which is what counting active units needs.
    /// </summary>
    public (Tensor[] Latents, Tensor[] ConditionalMeans, Tensor LogQ) GuideWithMeans(Tensor x, int k, RandomKey key, bool detachParameters = false, bool detachDraws = false)
    {
        CheckImages(x);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), $"BurdaVae '{Name}': importance samples k must be at least 1, got {k}.");
        int batch = x.Dim(0);
        var latents = new Tensor[_latentSizes.Length];
        var means = new Tensor[_latentSizes.Length];
        Tensor? logQ = null;
        Tensor input = x;
        for (int l = 0; l < _latentSizes.Length; l++)
        {
            int d = _latentSizes[l];
            var h = _encoders[l].Forward(input);
            var mean = h.Narrow(-1, 0, d);
            var logScale = h.Narrow(-1, d, d);
            var eps = Tensor.Zeros(k, batch, d);
            Sample.Normal(key.Child((long)l), eps.Span);
            var z = mean + eps * logScale.Exp();
            if (detachDraws) z = z.Detach();
            Tensor term;
            if (detachDraws) term = NormalLogDensity(z, mean.Detach(), logScale.Detach());
            else if (detachParameters)
            {
                // DReG's density term: the guide's weights are held fixed, but log q(z_l | z_{l−1}) stays a function of
                // the parent draw z_{l−1}, whose path to φ is kept (Tucker et al. 2019, §4 on hierarchical guides); the
                // first layer's parent is the data, so detaching its output is the same
                var fixedWeights = l == 0 ? h.Detach() : _encoders[l].Forward(input, detachParameters: true);
                term = NormalLogDensity(z, fixedWeights.Narrow(-1, 0, d), fixedWeights.Narrow(-1, d, d));
            }
            else term = (eps.Square() * -0.5 - logScale).Sum(-1) - d * HalfLogTwoPi;
            logQ = logQ is null ? term : logQ + term;
            latents[l] = z;
            means[l] = mean.Rank == 2 ? mean.Unsqueeze(0).Expand(k, batch, d) : mean;
            input = z;
        }
        return (latents, means, logQ!);
    }

    /// <summary>log p(x, z) [K, B] for latents from <see cref="Guide"/> (bottom-up) and binary images x [B, P].</summary>
    public Tensor LogJoint(Tensor x, Tensor[] latents, bool detachParameters = false)
    {
        var top = latents[^1];
        var logP = (top.Square() * -0.5).Sum(-1) - top.Dim(-1) * HalfLogTwoPi;
        for (int l = 0; l < _decoders.Length; l++)
        {
            var input = latents[^(l + 1)];
            if (l == _decoders.Length - 1 && Precision == Precision.Float32)
            {
                // the likelihood on the decoder's float32 logits (never widened to float64)
                logP = logP + _decoders[l].BernoulliLogProb(input, x, detachParameters);
                break;
            }
            var h = _decoders[l].Forward(input, detachParameters);
            if (l < _decoders.Length - 1)
            {
                int d = _latentSizes[^(l + 2)];
                logP = logP + NormalLogDensity(latents[^(l + 2)], h.Narrow(-1, 0, d), h.Narrow(-1, d, d));
            }
            else
                logP = logP + (x * h - h.Softplus()).Sum(-1);
        }
        return logP;
    }

    /// <summary>Σ over the last axis of log N(z; mean, exp(logScale)²).</summary>
    private static Tensor NormalLogDensity(Tensor z, Tensor mean, Tensor logScale) =>
        (((z - mean) * (-logScale).Exp()).Square() * -0.5 - logScale).Sum(-1) - z.Dim(-1) * HalfLogTwoPi;

    private void CheckImages(Tensor x)
    {
        if (x.Rank != 2 || x.Dim(1) != Pixels)
            throw new ArgumentException($"BurdaVae '{Name}': expected images [batch, {Pixels}], got shape [{string.Join(", ", x.Shape.ToArray())}].", nameof(x));
    }
}
