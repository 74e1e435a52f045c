namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>
/// Settings of <see cref="GcviRotatedMnistStudy"/> (McNamara, Loper and Regier 2024, rotated MNIST, §5.3). The
/// defaults are the protocol scaled to a shared two-core machine; each scaling is named where it differs from the paper.
/// </summary>
public sealed record GcviRotatedMnistOptions
{
    /// <summary>An IDX file of 28×28 images to train the generator on instead of MNIST-10k's 8,000 training images (tests use a committed slice).</summary>
    public string? ImagesPath { get; init; }

    /// <summary>Training images of the generator (null: all of the training split).</summary>
    public int? GeneratorImages { get; init; }

    /// <summary>Epochs of the generator's VAE training.</summary>
    public int GeneratorEpochs { get; init; } = 15;

    /// <summary>The generator's VAE likelihood sd (Gaussian on pixel intensities in [0, 1]).</summary>
    public double GeneratorNoise { get; init; } = 0.1;

    /// <summary>Images in the observed set (the paper: 1,000).</summary>
    public int Images { get; init; } = 1000;

    /// <summary>The true shared angle in degrees (the paper: 260°).</summary>
    public double TrueAngleDegrees { get; init; } = 260;

    /// <summary>The observation noise sd (the paper: 0.01).</summary>
    public double ObservationNoise { get; init; } = 0.01;

    /// <summary>Number of starting angles / offsets, evenly spaced from 0° (the paper: 12, i.e. 0°, 30°, …, 330°).</summary>
    public int Starts { get; init; } = 12;

    /// <summary>L_P steps per run.</summary>
    public int LpSteps { get; init; } = 1000;

    /// <summary>Simulated sets per L_P step.</summary>
    public int LpSets { get; init; } = 8;

    /// <summary>Images per simulated set during L_P training (the observed set is read whole).</summary>
    public int LpSetSize { get; init; } = 16;

    /// <summary>Adam's learning rate for L_P.</summary>
    public double LpLearningRate { get; init; } = 3e-3;

    /// <summary>The concentration κ₀ of the fixed offset κ₀(cos α, sin α) added to the encoder's output: q starts at mode α.</summary>
    public double OffsetConcentration { get; init; } = 2;

    /// <summary>The fixed factor c of the encoder's output, η = c·ρ(…) + κ₀(cos α, sin α), so that few steps reach sharp posteriors.</summary>
    public double OutputScale { get; init; } = 10;

    /// <summary>IWBO steps per run.</summary>
    public int IwboSteps { get; init; } = 500;

    /// <summary>Observed images per IWBO step (a minibatch; the bound is scaled to the whole set).</summary>
    public int IwboBatch { get; init; } = 32;

    /// <summary>Importance samples per image of the IWBO.</summary>
    public int IwboSamples { get; init; } = 4;

    /// <summary>Adam's learning rate for the IWBO's encoder.</summary>
    public double IwboLearningRate { get; init; } = 1e-3;

    /// <summary>Adam's learning rate for the angle (radians).</summary>
    public double AngleLearningRate { get; init; } = 0.02;

    /// <summary>Angle estimates recorded per run (evenly spaced steps, plus the start).</summary>
    public int Evaluations { get; init; } = 15;

    /// <summary>Which sides to run: "both", "lp" or "iwbo".</summary>
    public string Objectives { get; init; } = "both";

    /// <summary>The seed.</summary>
    public ulong Seed { get; init; } = 2024;

    /// <summary>Whether this is the smoke-run preset.</summary>
    public bool Quick { get; init; }

    /// <summary>The smoke-run preset (seconds): a tiny generator, 100 images, 4 starts, a few dozen steps.</summary>
    public static GcviRotatedMnistOptions QuickPreset => new()
    {
        Quick = true, GeneratorImages = 200, GeneratorEpochs = 2, Images = 100, Starts = 4, LpSteps = 40, LpSets = 2, LpSetSize = 8,
        IwboSteps = 30, IwboBatch = 8, IwboSamples = 2, Evaluations = 4, LpLearningRate = 3e-3,
    };

    /// <summary>Throws ArgumentException naming the first bad setting.</summary>
    public void Validate()
    {
        void Positive(int value, string name)
        {
            if (value < 1) throw new ArgumentException($"gcvi-rotated-mnist: {name} must be at least 1, got {value}.");
        }
        void PositiveReal(double value, string name)
        {
            if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentException($"gcvi-rotated-mnist: {name} must be positive and finite, got {value}.");
        }
        if (GeneratorImages is int g) Positive(g, "--generator-images");
        Positive(GeneratorEpochs, "--generator-epochs");
        PositiveReal(GeneratorNoise, "the generator noise");
        Positive(Images, "--images-count");
        if (!double.IsFinite(TrueAngleDegrees)) throw new ArgumentException($"gcvi-rotated-mnist: the true angle must be finite, got {TrueAngleDegrees}.");
        PositiveReal(ObservationNoise, "the observation noise");
        Positive(Starts, "--starts");
        Positive(LpSteps, "--lp-steps");
        Positive(LpSets, "--lp-sets");
        Positive(LpSetSize, "--lp-set-size");
        PositiveReal(LpLearningRate, "the L_P learning rate");
        PositiveReal(OffsetConcentration, "the offset concentration");
        PositiveReal(OutputScale, "the output scale");
        Positive(IwboSteps, "--iwbo-steps");
        Positive(IwboBatch, "--iwbo-batch");
        if (IwboBatch > Images) throw new ArgumentException($"gcvi-rotated-mnist: --iwbo-batch ({IwboBatch}) cannot exceed the observed images ({Images}).");
        Positive(IwboSamples, "--iwbo-samples");
        PositiveReal(IwboLearningRate, "the IWBO learning rate");
        PositiveReal(AngleLearningRate, "the angle learning rate");
        Positive(Evaluations, "evaluations");
        if (Objectives is not ("both" or "lp" or "iwbo")) throw new ArgumentException($"gcvi-rotated-mnist: --only must be lp or iwbo, got '{Objectives}'.");
    }
}
