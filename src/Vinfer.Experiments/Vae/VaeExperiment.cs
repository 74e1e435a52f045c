using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Vinfer.Data;
using Vinfer.IO;
using Vinfer.Modeling;
using Vinfer.Models.Vae;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Vae;

/// <summary>
/// One VAE/IWAE/VR training run as in Burda, Grosse and Salakhutdinov (2016) and Li and Turner (2016): a
/// <see cref="BurdaVae"/> trained with Adam on dynamically binarized mini-batches, evaluated on statically binarized
/// validation and test sets. After each epoch it records the mean training bound, the validation and test
/// log-likelihood estimated with <see cref="VaeExperimentOptions.CurveSamples"/> importance samples, and writes a
/// checkpoint (parameters, Adam state, curve) to DIR/checkpoint; a later run with the same settings resumes from the
/// last complete checkpoint and gives the same numbers as an uninterrupted run (every draw is keyed by seed, epoch
/// and batch). At the end it estimates the test log-likelihood with <see cref="VaeExperimentOptions.EvaluationSamples"/>
/// samples, counts active units and writes results.json, vae.md, reconstructions.png and samples.png.
/// </summary>
public static class VaeExperiment
{
    private const string StateFile = "state.json";

    /// <summary>Runs (or resumes) the experiment into <paramref name="directory"/>; returns the results object that results.json holds.</summary>
    public static JsonObject Run(VaeExperimentOptions options, string directory, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        if (File.Exists(directory)) throw new ArgumentException($"--out: '{directory}' is a file, not a folder.");
        var data = options.LoadData();
        var validation = BinarizedValidation(options, data);
        var test = BinarizedTest(options, data);
        string checkpoints = Path.Combine(directory, "checkpoint");

        var curve = new JsonArray();
        int startEpoch = 0;
        ParamStore store = new();
        var adam = new Adam(options.LearningRate);
        var fingerprint = options.Fingerprint();
        string statePath = Path.Combine(checkpoints, StateFile);
        if (File.Exists(statePath))
        {
            var state = JsonNode.Parse(File.ReadAllText(statePath))!.AsObject();
            if (!JsonNode.DeepEquals(state["settings"], fingerprint))
                throw new InvalidOperationException($"--out: '{directory}' holds a checkpoint of a run with other settings ({state["settings"]!.ToJsonString()}); choose another folder.");
            startEpoch = (int)state["epoch"]!;
            store = ParamStore.Load(Path.Combine(checkpoints, $"params-{startEpoch}.json"));
            using (var s = File.OpenRead(Path.Combine(checkpoints, $"adam-{startEpoch}.bin"))) adam.LoadState(s);
            curve = state["curve"]!.AsArray().DeepClone().AsArray();
            log($"resuming from the checkpoint after epoch {startEpoch}");
        }
        using var use = store.Use();
        var vae = new BurdaVae("vae", options.Layers, new RandomStream(options.Seed), precision: options.PrecisionKind);
        var objective = options.ObjectiveKind;
        var root = new RandomKey(options.Seed).Fold(0xAE);
        var trainSet = data.Train;
        int n = trainSet.Count, batchSize = Math.Min(options.BatchSize, n), batches = n / batchSize;
        var parameters = vae.Parameters().ToArray();
        var epochSeconds = new List<double>(curve.Select(c => (double)c!["seconds"]!));
        // every batch is binarized into the same array, which the network reads in place (no copy, no allocation)
        var batch = new double[batchSize * trainSet.PixelCount];
        var x = Tensor.Wrap(batch, batchSize, trainSet.PixelCount);
        for (int epoch = startEpoch + 1; epoch <= options.Epochs; epoch++)
        {
            var epochKey = root.Child(epoch);
            var order = ImageSet.Permutation(n, epochKey.Child(0));
            double boundSum = 0;
            var profile = new VaeEpochProfile();
            profile.Start();
            var clock = Stopwatch.StartNew();
            for (int b = 0; b < batches; b++)
            {
                using var scope = new TensorScope();
                Binarization.Dynamic(trainSet, order.AsSpan(b * batchSize, batchSize), epochKey.Child(1).Child(b), batch);
                profile.Mark(VaeEpochProfile.Part.Binarize);
                var (loss, bound) = VaeBounds.Loss(vae, x, objective, options.K, epochKey.Child(2).Child(b), options.DoublyReparameterized);
                if (!double.IsFinite(bound))
                    throw new InvalidOperationException($"epoch {epoch}, batch {b}: the training bound is {bound}; lower --learning-rate.");
                profile.Mark(VaeEpochProfile.Part.Forward);
                loss.Backward();
                profile.Mark(VaeEpochProfile.Part.Backward);
                adam.Step(parameters);
                vae.ZeroGrad();
                profile.Mark(VaeEpochProfile.Part.Update);
                boundSum += bound;
            }
            double seconds = clock.Elapsed.TotalSeconds;
            var breakdown = profile.Finish();
            epochSeconds.Add(seconds);
            double validationLl = VaeEvaluation.LogLikelihoods(vae, validation.Pixels, options.CurveSamples, epochKey.Child(3)).Average();
            double testLl = VaeEvaluation.LogLikelihoods(vae, test.Pixels, options.CurveSamples, epochKey.Child(4)).Average();
            curve.Add(new JsonObject
            {
                ["epoch"] = epoch, ["train_bound"] = boundSum / batches, ["validation_ll"] = validationLl, ["test_ll"] = testLl, ["seconds"] = seconds, ["profile"] = breakdown,
            });
            Checkpoint(checkpoints, epoch, store, adam, fingerprint, curve);
            log(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}/{options.Epochs}: train bound {boundSum / batches:F2}, validation LL({options.CurveSamples}) {validationLl:F2}, test LL({options.CurveSamples}) {testLl:F2}, {seconds:F1} s"));
        }

        var evalKey = root.Fold(0xE7A1);
        var clockEval = Stopwatch.StartNew();
        var testLls = VaeEvaluation.LogLikelihoods(vae, test.Pixels, options.EvaluationSamples, evalKey.Child(0));
        double evalSeconds = clockEval.Elapsed.TotalSeconds;
        double mean = testLls.Average();
        double standardError = Math.Sqrt(testLls.Sum(v => (v - mean) * (v - mean)) / (testLls.Length - 1) / testLls.Length);
        var active = VaeEvaluation.ActiveUnits(vae, test.Pixels, evalKey.Child(1));
        log(string.Create(CultureInfo.InvariantCulture, $"test LL({options.EvaluationSamples}) {mean:F3} ± {standardError:F3} over {testLls.Length} images; active units {string.Join("/", active)}"));

        var results = new JsonObject
        {
            ["experiment"] = "vae",
            ["settings"] = options.Fingerprint(),
            ["epochs"] = options.Epochs,
            ["train_images"] = trainSet.Count,
            ["validation_images"] = validation.Count,
            ["test_images"] = test.Count,
            ["evaluation_samples"] = options.EvaluationSamples,
            ["test_ll"] = mean,
            ["test_ll_standard_error"] = standardError,
            ["active_units"] = new JsonArray(active.Select(a => (JsonNode)a).ToArray()),
            ["mean_epoch_seconds"] = epochSeconds.Count == 0 ? null : epochSeconds.Average(),
            ["evaluation_seconds"] = evalSeconds,
            ["curve"] = curve.DeepClone(),
        };
        var reconstructions = Reconstructions(vae, test, 10);
        var samples = Samples(vae, 100, evalKey.Child(2));
        AtomicFile.WriteBytes(Path.Combine(directory, "reconstructions.png"), GrayscalePng.Grid(reconstructions, 28, 28, 2, 10));
        AtomicFile.WriteBytes(Path.Combine(directory, "samples.png"), GrayscalePng.Grid(samples, 28, 28, 10, 10));
        AtomicFile.WriteAll([(Path.Combine(directory, "results.json"), results.ToJsonString(new() { WriteIndented = true })), (Path.Combine(directory, "vae.md"), Table(options, results))]);
        return results;
    }

    /// <summary>The statically binarized validation images of a run with these settings (drawn from the seed).</summary>
    public static ImageSet BinarizedValidation(VaeExperimentOptions options, ImageSplit data)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        return Binarization.Static(data.Validation, options.Seed ^ 0x5A17);
    }

    /// <summary>
    /// The statically binarized test images of a run with these settings (drawn from the seed): the exact binary test
    /// set the run is evaluated on, which <c>vinfer data split --binarized-test</c> exports so that the PyTorch peer
    /// evaluates on the same images rather than on its own binarization of them.
    /// </summary>
    public static ImageSet BinarizedTest(VaeExperimentOptions options, ImageSplit data)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        return Binarization.Static(data.Test, options.Seed ^ 0x7E57);
    }

    private static void Checkpoint(string folder, int epoch, ParamStore store, Optimizer adam, JsonObject fingerprint, JsonArray curve)
    {
        Directory.CreateDirectory(folder);
        store.Save(Path.Combine(folder, $"params-{epoch}.json"));
        using (var ms = new MemoryStream())
        {
            adam.SaveState(ms);
            AtomicFile.WriteBytes(Path.Combine(folder, $"adam-{epoch}.bin"), ms.ToArray());
        }
        // the state file is the commit point: it names a checkpoint only after both of its files are complete
        AtomicFile.WriteAllText(Path.Combine(folder, StateFile),
            new JsonObject { ["epoch"] = epoch, ["settings"] = fingerprint.DeepClone(), ["curve"] = curve.DeepClone() }.ToJsonString());
        foreach (var old in new[] { $"params-{epoch - 1}.json", $"adam-{epoch - 1}.bin" })
            File.Delete(Path.Combine(folder, old));
    }

    /// <summary>The first <paramref name="count"/> test images over their reconstructions' Bernoulli means (from the encoder's mean).</summary>
    private static double[] Reconstructions(BurdaVae vae, ImageSet images, int count)
    {
        count = Math.Min(count, images.Count);
        using var noGrad = GradMode.Disable();
        using var scope = new TensorScope();
        var x = Tensor.FromArray(images.Pixels.AsSpan(0, count * 784), count, 784);
        var (mean, _) = vae.Encode(x);
        Tensor top = mean;
        if (vae.StochasticLayers == 2)
        {
            var (latents, _) = vae.Guide(x, 1, new RandomKey(0));
            top = latents[^1].Reshape(count, vae.TopLatentSize);
        }
        var probabilities = vae.DecodeMeanLogits(top).Sigmoid().Span.ToArray();
        var tiles = new double[20 * 784];
        images.Pixels.AsSpan(0, count * 784).CopyTo(tiles);
        probabilities.CopyTo(tiles.AsSpan(10 * 784));
        return tiles;
    }

    /// <summary>Bernoulli means of the decoder at <paramref name="count"/> draws from the prior.</summary>
    private static double[] Samples(BurdaVae vae, int count, RandomKey key)
    {
        using var noGrad = GradMode.Disable();
        using var scope = new TensorScope();
        var z = Tensor.Zeros(count, vae.TopLatentSize);
        Sample.Normal(key, z.Span);
        return vae.DecodeMeanLogits(z).Sigmoid().Span.ToArray();
    }

    private static string Table(VaeExperimentOptions o, JsonObject r)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# VAE experiment: {o.Dataset}, {o.Objective}{(o.DoublyReparameterized ? " (DReG)" : "")}, k = {o.K}, {o.Layers} stochastic layer(s)");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Seed {o.Seed}, {o.Epochs} epochs, batch {o.BatchSize}, Adam {o.LearningRate}; {r["train_images"]} training, {r["validation_images"]} validation, {r["test_images"]} test images.");
        sb.AppendLine();
        sb.AppendLine("| test LL | s.e. | importance samples | active units | mean epoch (s) |");
        sb.AppendLine("|---:|---:|---:|---:|---:|");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {(double)r["test_ll"]!:F2} | {(double)r["test_ll_standard_error"]!:F2} | {o.EvaluationSamples} | {string.Join("/", r["active_units"]!.AsArray().Select(a => (int)a!))} | {(r["mean_epoch_seconds"] is { } s ? ((double)s).ToString("F2", CultureInfo.InvariantCulture) : "–")} |"));
        sb.AppendLine();
        sb.AppendLine("| epoch | train bound | validation LL | test LL | seconds |");
        sb.AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var c in r["curve"]!.AsArray())
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(int)c!["epoch"]!} | {(double)c["train_bound"]!:F2} | {(double)c["validation_ll"]!:F2} | {(double)c["test_ll"]!:F2} | {(double)c["seconds"]!:F1} |"));
        sb.AppendLine();
        sb.AppendLine("Images: reconstructions.png (top row test images, bottom row reconstructions), samples.png (100 prior samples, Bernoulli means).");
        return sb.ToString();
    }
}
