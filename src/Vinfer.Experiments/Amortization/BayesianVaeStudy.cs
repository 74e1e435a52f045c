using System.Diagnostics;
using Vinfer.Data;
using Vinfer.Modeling;
using Vinfer.Models.Vae;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Amortization;

/// <summary>One method's fit: its reconstruction error and mean −ELBO per image along the epochs.</summary>
public sealed record BayesianVaeRun(string Method, IReadOnlyList<int> Epochs, IReadOnlyList<double> ReconstructionError, IReadOnlyList<double> NegativeElboPerImage, int? EpochsToThreshold, double Seconds);

/// <summary>The study's outcome.</summary>
public sealed record BayesianVaeResult(BayesianVaeOptions Options, string DataName, int Pixels, IReadOnlyList<BayesianVaeRun> Runs, double Seconds);

/// <summary>
/// The Bayesian VAE study of Margossian and Blei, "Amortized Variational Inference: When and Why?" (UAI 2024, §5):
/// a <see cref="BayesianVae"/> (decoder weights with a mean-field Gaussian q(θ)) fitted jointly with the local factors
/// q(z_n) given by F-VI (each image its own mean and log-scale), A-VI (an encoder 784-k-(2×D) with LeakyReLU 0.2 of
/// the image) or const (one shared pair), by Adam on minibatch ELBO estimates. F-VI's local parameters form one
/// [N, D] tensor stepped by Adam as a whole, so rows outside the batch see a zero gradient (as PyTorch would treat
/// them). After every <see cref="BayesianVaeOptions.EvaluateEvery"/> epochs the reconstruction error — the mean over
/// training images and pixels of (f_{E θ}(E z_n) − x_n)² — and the epoch's mean −ELBO per image are recorded;
/// reported is the first epoch at which the error falls below <see cref="BayesianVaeOptions.Threshold"/>.
/// </summary>
public static class BayesianVaeStudy
{
    /// <summary>Fits every selected method to <paramref name="images"/> (their first <see cref="BayesianVaeOptions.Images"/>).</summary>
    /// <param name="options">The settings.</param>
    /// <param name="images">The training images.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="completed">Called with the result so far after each method (to write partial reports).</param>
    public static BayesianVaeResult Run(BayesianVaeOptions options, ImageSet images, Action<string>? log = null, Action<BayesianVaeResult>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(images);
        options.Validate();
        if (images.Count < options.Images)
            throw new ArgumentException($"--images: {options.Images} requested but '{images.Name}' holds {images.Count}.", nameof(images));
        var clock = Stopwatch.StartNew();
        var data = Tensor.FromArray(images.Pixels.AsSpan(0, options.Images * images.PixelCount), options.Images, images.PixelCount);
        var runs = new List<BayesianVaeRun>();
        foreach (string method in options.SelectedMethods())
        {
            var run = Fit(options, data, method, log);
            runs.Add(run);
            log?.Invoke(FormattableString.Invariant($"bayesian-vae: {method}: reconstruction error {run.ReconstructionError[^1]:F4} after {run.Epochs[^1]} epochs, below {options.Threshold} at epoch {(run.EpochsToThreshold?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "never")} ({run.Seconds:F0} s)"));
            completed?.Invoke(new BayesianVaeResult(options, images.Name, images.PixelCount, [.. runs], clock.Elapsed.TotalSeconds));
        }
        return new BayesianVaeResult(options, images.Name, images.PixelCount, runs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One method's fit on the images <paramref name="data"/> [N, P].</summary>
    public static BayesianVaeRun Fit(BayesianVaeOptions options, Tensor data, string method, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(method);
        var clock = Stopwatch.StartNew();
        int n = data.Dim(0), pixels = data.Dim(1), d = options.LatentSize;
        var store = new ParamStore();
        using var use = store.Use();
        // The decoder starts the same in every method (same stream); the encoder gets its own.
        var decoder = new BayesianMlp("decoder", d, options.DecoderHidden, pixels, Activation.LeakyRelu(0.2), options.DecoderInitialLogScale, new RandomStream(options.Seed));
        var model = new BayesianVae(decoder, options.NoiseScale);
        Mlp? encoder = method.StartsWith("avi-k", StringComparison.Ordinal)
            ? new Mlp("encoder", pixels, [int.Parse(method.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture)], 2 * d, Activation.LeakyRelu(0.2), new RandomStream(options.Seed ^ 0xE4C0DE))
            : null;
        if (encoder is null && method is not ("fvi" or "const"))
            throw new ArgumentException($"bayesian-vae: unknown method '{method}'.", nameof(method));
        int rows = method == "fvi" ? n : 1;
        (Tensor Loc, Tensor LogScale) Local(Tensor x, int[]? indices)
        {
            if (encoder is not null)
            {
                var output = encoder.Forward(x);
                return (output.Narrow(1, 0, d), output.Narrow(1, d, d));
            }
            var loc = Primitives.Param("z_loc", () => Tensor.Zeros(rows, d));
            var logScale = Primitives.Param("z_log_scale", () => Tensor.Zeros(rows, d));
            return rows == 1 || indices is null ? (loc, logScale) : (loc.IndexSelect(0, indices), logScale.IndexSelect(0, indices));
        }
        var adam = new Adam(options.LearningRate);
        var root = new RandomKey(options.Seed).Fold(0xBA7E);
        int batchSize = options.BatchSize, batches = n / batchSize;
        var batch = new double[batchSize * pixels];
        var epochs = new List<int>(); var errors = new List<double>(); var losses = new List<double>();
        int? crossed = null;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var epochKey = root.Child(epoch);
            var order = ImageSet.Permutation(n, epochKey.Child(0));
            double lossSum = 0;
            for (int b = 0; b < batches; b++)
            {
                using var scope = new TensorScope();
                var indices = order.AsSpan(b * batchSize, batchSize).ToArray();
                var x = data.IndexSelect(0, indices);
                var (loc, logScale) = Local(x, indices);
                var elbo = model.Elbo(x, loc, logScale, n, epochKey.Child(1).Child(b), options.Samples);
                double value = elbo.Item();
                if (!double.IsFinite(value))
                    throw new InvalidOperationException($"bayesian-vae: {method}: the ELBO is {value} at epoch {epoch}, batch {b}.");
                (-elbo).Backward();
                adam.Step(store.Unconstrained);
                foreach (var (_, p) in store.Unconstrained) p.ZeroGrad();
                lossSum -= value;
            }
            if (epoch % options.EvaluateEvery == 0 || epoch == options.Epochs)
            {
                double error;
                using (new TensorScope())
                using (GradMode.Disable())
                    error = model.ReconstructionError(data, Local(data, null).Loc);
                epochs.Add(epoch); errors.Add(error); losses.Add(lossSum / batches / n);
                if (crossed is null && error < options.Threshold) crossed = epoch;
                if (log is not null && (epoch % 25 == 0 || epoch == options.Epochs))
                    log(FormattableString.Invariant($"bayesian-vae: {method}: epoch {epoch}: reconstruction error {error:F4}, -ELBO per image {lossSum / batches / n:F1} ({clock.Elapsed.TotalSeconds:F0} s)"));
            }
        }
        return new BayesianVaeRun(method, epochs, errors, losses, crossed, clock.Elapsed.TotalSeconds);
    }
}
