namespace Vinfer.Experiments.Amortization;

/// <summary>
/// Settings of <see cref="BayesianVaeStudy"/>. The defaults are the protocol of Margossian and Blei (2024) as issue 15
/// states it: 10,000 Fashion-MNIST training images, z ∈ ℝ⁶⁴, decoder 64-256-256-784 (LeakyReLU 0.2) with a
/// mean-field Gaussian over its weights, A-VI encoder widths 1, 64, 128, 256, F-VI and const, Adam 10⁻³, batch
/// 1,000, reconstruction threshold 0.03; the epoch count (the paper's runs reach 2,700 and beyond) is set to 3,000.
/// </summary>
public sealed record BayesianVaeOptions
{
    /// <summary>Training images (the first ones of the fixed shuffled Fashion-MNIST training split).</summary>
    public int Images { get; init; } = 10_000;

    /// <summary>Epochs per fit.</summary>
    public int Epochs { get; init; } = 3000;

    /// <summary>Images per minibatch.</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>The A-VI encoders' hidden widths k (encoder 784-k-(2×64), LeakyReLU 0.2).</summary>
    public IReadOnlyList<int> Widths { get; init; } = [1, 64, 128, 256];

    /// <summary>The methods to fit: <c>fvi</c>, <c>avi-kK</c> for each width, <c>const</c>; null: all of them.</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>Latent size D.</summary>
    public int LatentSize { get; init; } = 64;

    /// <summary>The decoder's hidden widths.</summary>
    public IReadOnlyList<int> DecoderHidden { get; init; } = [256, 256];

    /// <summary>Adam's learning rate (every method).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>σ of the Gaussian likelihood; 1/√2 makes log p(x | z, θ) = −Σ(x − f_θ(z))² up to a constant.</summary>
    public double NoiseScale { get; init; } = Math.Sqrt(0.5);

    /// <summary>The starting log standard deviation of the decoder's weights.</summary>
    public double DecoderInitialLogScale { get; init; } = -5;

    /// <summary>Reparameterized draws of (θ, z) per step.</summary>
    public int Samples { get; init; } = 1;

    /// <summary>The reconstruction error whose crossing is reported.</summary>
    public double Threshold { get; init; } = 0.03;

    /// <summary>Epochs between evaluations of the reconstruction error (on every training image).</summary>
    public int EvaluateEvery { get; init; } = 1;

    /// <summary>The seed of the fits (initial values, batches and draws).</summary>
    public ulong Seed { get; init; } = 2024;

    /// <summary>The CI preset: 60 images in batches of 20, 4 epochs, widths 1 and 8.</summary>
    public static BayesianVaeOptions Quick() => new() { Images = 60, BatchSize = 20, Epochs = 4, Widths = [1, 8] };

    /// <summary>Every method these settings fit, in report order.</summary>
    public IReadOnlyList<string> AllMethods() => ["fvi", .. Widths.Select(k => $"avi-k{k}"), "const"];

    /// <summary>The methods actually fitted.</summary>
    public IReadOnlyList<string> SelectedMethods() => Methods ?? AllMethods();

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        if (Images < 1) throw new ArgumentException($"--images: must be at least 1, got {Images}.");
        if (BatchSize < 1 || BatchSize > Images) throw new ArgumentException($"--batch-size: must be in 1…{Images} (the images), got {BatchSize}.");
        if (Epochs < 1) throw new ArgumentException($"--epochs: must be at least 1, got {Epochs}.");
        if (Widths.Count == 0 || Widths.Any(k => k < 1)) throw new ArgumentException($"--widths: each width must be at least 1, got [{string.Join(", ", Widths)}].");
        if (LatentSize < 1) throw new ArgumentException($"bayesian-vae: the latent size must be at least 1, got {LatentSize}.");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) throw new ArgumentException($"bayesian-vae: the learning rate must be positive, got {LearningRate}.");
        if (!(NoiseScale > 0 && double.IsFinite(NoiseScale))) throw new ArgumentException($"bayesian-vae: the noise scale must be positive, got {NoiseScale}.");
        if (!double.IsFinite(DecoderInitialLogScale)) throw new ArgumentException($"bayesian-vae: the decoder's initial log-scale must be finite, got {DecoderInitialLogScale}.");
        if (Samples < 1) throw new ArgumentException($"--samples: must be at least 1, got {Samples}.");
        if (!(Threshold > 0)) throw new ArgumentException($"bayesian-vae: the threshold must be positive, got {Threshold}.");
        if (EvaluateEvery < 1) throw new ArgumentException($"bayesian-vae: evaluate-every must be at least 1, got {EvaluateEvery}.");
        var all = AllMethods();
        if (Methods is not null)
            foreach (string m in Methods)
                if (!all.Contains(m)) throw new ArgumentException($"--methods: '{m}' is not one of {string.Join(", ", all)}.");
    }
}
