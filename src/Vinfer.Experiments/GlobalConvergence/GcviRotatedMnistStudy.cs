using System.Diagnostics;
using Vinfer.Data;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>
/// One run: the objective ("lp" or "iwbo"), its start (degrees), the angle estimates along the run (L_P: the mode of
/// q(θ | observed set); IWBO: the parameter θ), unwrapped so that a trajectory is continuous, the final angle in
/// [0°, 360°), L_P's final concentration κ (NaN for the IWBO), the final loss (L_P: the mean of the last tenth of the
/// steps' −log q; IWBO: the same mean of the negative bound per image) and the run's seconds.
/// </summary>
public sealed record GcviRotatedMnistRun(string Objective, double StartDegrees, IReadOnlyList<int> Steps, IReadOnlyList<double> AngleDegrees,
    double FinalAngleDegrees, double FinalConcentration, double FinalLoss, double Seconds);

/// <summary>The study's outcome: the generator's training curve, a sample of the observed images, every run, seconds and load averages.</summary>
public sealed record GcviRotatedMnistResult(GcviRotatedMnistOptions Options, int GeneratorTrainingImages, IReadOnlyList<double> GeneratorNegativeElbo,
    double GeneratorSeconds, double[] ObservedSample, int ObservedSampleCount, double[] GeneratedSample, IReadOnlyList<GcviRotatedMnistRun> Runs,
    double Seconds, double? LoadAverageStart, double? LoadAverageEnd);

/// <summary>
/// The rotated-MNIST experiment of McNamara, Loper and Regier, "Globally Convergent Variational Inference" (NeurIPS
/// 2024, §5.3, Figures 3–6). A generator G (<see cref="RotatedDigitGenerator"/>, trained here as a VAE on MNIST)
/// defines the model zᵢ ∼ N(0, I₆₄), xᵢ = rotate(G(zᵢ), θ) + σεᵢ with one shared angle θ; the observed set has N images
/// at θ = 260° and σ = 0.01. Two ways to infer θ, each from several starts:
/// <list type="bullet">
/// <item>L_P (neural posterior estimation, <see cref="NeuralPosteriorEstimation"/>): a set encoder
/// (<see cref="RotationAngleEncoder"/>) gives a von Mises q(θ | x); it is trained on fresh sets simulated with
/// θ ∼ U(0, 2π) and read on the observed set. Its starts are offsets of q's initial mode.</item>
/// <item>IWBO (<see cref="RotationIwbo"/>): θ is a parameter started at each angle and fitted jointly with an
/// amortized Gaussian encoder of the zᵢ (an MLP 784 → 256 → 2×64) by the importance-weighted bound of the
/// observed set.</item>
/// </list>
/// The paper's finding: every L_P run ends at the true angle, while where the IWBO ends depends on its start.
/// </summary>
public static class GcviRotatedMnistStudy
{
    private const int LatentSize = 64;

    /// <summary>Runs the study.</summary>
    public static GcviRotatedMnistResult Run(GcviRotatedMnistOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        double? loadStart = LoadAverage();
        var clock = Stopwatch.StartNew();
        var root = new RandomKey(options.Seed);
        var images = LoadImages(options);
        log?.Invoke($"gcvi-rotated-mnist: training the generator on {images.Count} images for {options.GeneratorEpochs} epochs");
        var generatorClock = Stopwatch.StartNew();
        var (generator, curve) = RotatedDigitGenerator.Train(images, LatentSize, options.GeneratorEpochs, options.GeneratorNoise, root.Child(1), log);
        double generatorSeconds = generatorClock.Elapsed.TotalSeconds;
        double trueAngle = options.TrueAngleDegrees * Math.PI / 180;
        var observed = generator.Simulate(options.Images, trueAngle, options.ObservationNoise, root.Child(2));
        int sampleCount = Math.Min(100, options.Images);
        var observedSample = observed.Span[..(sampleCount * generator.Pixels)].ToArray();
        double[] generatedSample;
        using (GradMode.Disable())
        {
            var z = new double[sampleCount * LatentSize];
            Vinfer.Random.Sample.Normal(root.Child(3), z);
            generatedSample = generator.Generate(Tensor.Wrap(z, sampleCount, LatentSize)).Span.ToArray();
        }
        var runs = new List<GcviRotatedMnistRun>();
        for (int r = 0; r < options.Starts && options.Objectives != "iwbo"; r++)
        {
            double start = 360.0 * r / options.Starts;
            var run = FitLp(options, generator, observed, start, root.Child(100));
            runs.Add(run);
            log?.Invoke(FormattableString.Invariant($"gcvi-rotated-mnist: L_P from {start:F0}°: final mode {run.FinalAngleDegrees:F1}° (κ {run.FinalConcentration:F1}), {run.Seconds:F1} s"));
        }
        for (int r = 0; r < options.Starts && options.Objectives != "lp"; r++)
        {
            double start = 360.0 * r / options.Starts;
            var run = FitIwbo(options, generator, observed, start, root.Child(200));
            runs.Add(run);
            log?.Invoke(FormattableString.Invariant($"gcvi-rotated-mnist: IWBO from {start:F0}°: final angle {run.FinalAngleDegrees:F1}°, {run.Seconds:F1} s"));
        }
        return new GcviRotatedMnistResult(options, images.Count, curve, generatorSeconds, observedSample, sampleCount, generatedSample, runs,
            clock.Elapsed.TotalSeconds, loadStart, LoadAverage());
    }

    /// <summary>The generator's training images: the IDX file of the options, else MNIST-10k's training split.</summary>
    public static ImageSet LoadImages(GcviRotatedMnistOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ImageSet set;
        if (options.ImagesPath is string path)
        {
            var array = IdxFile.Read(path);
            if (array.Dimensions.Count != 3 || array.Dimensions[1] != 28 || array.Dimensions[2] != 28)
                throw new DataFormatException($"--images: '{path}' must hold 28×28 images, got dimensions [{string.Join(", ", array.Dimensions)}].");
            set = new ImageSet(Path.GetFileName(path), 28, 28, array.Values.Select(v => v / 255.0).ToArray(), null);
        }
        else
        {
            if (!ImageDatasets.IsInstalled("mnist"))
                throw new InvalidOperationException($"dataset 'mnist' is not installed; run `vinfer data fetch mnist` or: {ImageDatasets.FetchCommand("mnist")}");
            set = ImageDatasets.Load("mnist").Train;
        }
        return options.GeneratorImages is int n ? set.Take(n) : set;
    }

    /// <summary>The 1-minute load average from /proc/loadavg, or null where there is none.</summary>
    public static double? LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>The angle in degrees wrapped to [0, 360).</summary>
    public static double Wrap(double degrees)
    {
        double w = degrees % 360;
        return w < 0 ? w + 360 : w;
    }

    /// <summary>The shortest signed angular distance a − b in degrees, in (−180, 180].</summary>
    public static double Difference(double a, double b)
    {
        double d = Wrap(a - b);
        return d > 180 ? d - 360 : d;
    }

    private static int[] EvaluationSteps(int steps, int evaluations) =>
        Enumerable.Range(0, evaluations + 1).Select(e => (int)Math.Round((double)steps * e / evaluations)).Distinct().ToArray();

    private static GcviRotatedMnistRun FitLp(GcviRotatedMnistOptions options, RotatedDigitGenerator generator, Tensor observed, double startDegrees, RandomKey key)
    {
        var clock = Stopwatch.StartNew();
        var store = new ParamStore();
        RotationAngleEncoder encoder;
        using (store.Use()) encoder = new RotationAngleEncoder("lp", generator.Side, startDegrees * Math.PI / 180, options.OffsetConcentration, new RandomStream(key.Child(0)), options.OutputScale);
        int sets = options.LpSets, size = options.LpSetSize, side = generator.Side;
        // Every run sees the same simulated sets (the same stream), so the runs differ only in their start.
        (Tensor, Tensor) Simulate(int count, RandomStream random)
        {
            var angles = new double[count];
            Vinfer.Random.Sample.Uniform(random.NextKey(), 0, 2 * Math.PI, angles);
            var x = new double[count * size * side * side];
            for (int s = 0; s < count; s++)
                generator.Simulate(size, angles[s], options.ObservationNoise, random.NextKey()).Span.CopyTo(x.AsSpan(s * size * side * side));
            return (Tensor.Wrap(angles, count), Tensor.Wrap(x, count, size, side, side));
        }
        var npe = new NeuralPosteriorEstimation(Simulate, x => encoder.Posterior(x), new Adam(options.LpLearningRate), sets, store);
        var evaluationSteps = EvaluationSteps(options.LpSteps, options.Evaluations);
        var recordedSteps = new List<int>();
        var angles = new List<double>();
        var observedSet = observed.Reshape(1, observed.Dim(0), side, side);
        double kappa = double.NaN;
        void Record(int step)
        {
            using var _ = store.Use();
            using var __ = GradMode.Disable();
            using var scope = new TensorScope();
            var q = encoder.Posterior(observedSet);
            double mode = q.Loc.Span[0] * 180 / Math.PI;
            kappa = q.Concentration.Span[0];
            recordedSteps.Add(step);
            angles.Add(angles.Count == 0 ? startDegrees + Difference(mode, startDegrees) : angles[^1] + Difference(mode, angles[^1]));
        }
        var random = new RandomStream(key.Child(1));
        var losses = new List<double>();
        Record(0);
        for (int step = 1; step <= options.LpSteps; step++)
        {
            losses.Add(npe.Step(random));
            if (evaluationSteps.Contains(step)) Record(step);
        }
        double finalLoss = TailMean(losses);
        return new GcviRotatedMnistRun("lp", startDegrees, recordedSteps, angles, Wrap(angles[^1]), kappa, finalLoss, clock.Elapsed.TotalSeconds);
    }

    private static GcviRotatedMnistRun FitIwbo(GcviRotatedMnistOptions options, RotatedDigitGenerator generator, Tensor observed, double startDegrees, RandomKey key)
    {
        var clock = Stopwatch.StartNew();
        var store = new ParamStore();
        using var use = store.Use();
        var encoder = new Mlp("iwbo.encoder", generator.Pixels, [256], 2 * generator.LatentSize, Activation.Relu, new RandomStream(key.Child(0)));
        var parameters = encoder.Parameters().ToArray();
        var angle = Tensor.Parameter([startDegrees * Math.PI / 180]);
        var angleParameter = new[] { new KeyValuePair<string, Tensor>("angle", angle) };
        var encoderOptimizer = new Adam(options.IwboLearningRate);
        var angleOptimizer = new Adam(options.AngleLearningRate);
        int n = observed.Dim(0), batch = options.IwboBatch, k = options.IwboSamples, d = generator.LatentSize;
        var pixels = observed.Reshape(n, generator.Pixels).Span.ToArray();
        var evaluationSteps = EvaluationSteps(options.IwboSteps, options.Evaluations);
        var recordedSteps = new List<int> { 0 };
        var angles = new List<double> { startDegrees };
        var losses = new List<double>();
        var batchPixels = new double[batch * generator.Pixels];
        for (int step = 1; step <= options.IwboSteps; step++)
        {
            using var scope = new TensorScope();
            var stepKey = key.Child(1).Child(step);
            var order = ImageSet.Permutation(n, stepKey.Child(0));   // a fresh minibatch without replacement each step
            for (int i = 0; i < batch; i++)
                pixels.AsSpan(order[i] * generator.Pixels, generator.Pixels).CopyTo(batchPixels.AsSpan(i * generator.Pixels));
            var x = Tensor.FromArray(batchPixels, batch, generator.Pixels);
            var h = encoder.Forward(x);
            var mean = h.Narrow(-1, 0, d);
            var logScale = h.Narrow(-1, d, d).Clamp(-10, 2);
            var noise = Tensor.Zeros(k, batch, d);
            Vinfer.Random.Sample.Normal(stepKey.Child(1), noise.Span);
            var bound = RotationIwbo.Bound(RotationIwbo.LogWeights(generator, x, angle, mean, logScale, noise, options.ObservationNoise), n);
            var loss = bound * (-1.0 / n);
            double value = loss.Item();
            if (!double.IsFinite(value))
            {
                foreach (var (_, p) in parameters) p.ZeroGrad();
                angle.ZeroGrad();
                continue;
            }
            losses.Add(value);
            loss.Backward();
            encoderOptimizer.Step(parameters);
            angleOptimizer.Step(angleParameter);
            foreach (var (_, p) in parameters) p.ZeroGrad();
            angle.ZeroGrad();
            if (evaluationSteps.Contains(step))
            {
                recordedSteps.Add(step);
                angles.Add(angle.Span[0] * 180 / Math.PI);
            }
        }
        return new GcviRotatedMnistRun("iwbo", startDegrees, recordedSteps, angles, Wrap(angle.Span[0] * 180 / Math.PI), double.NaN, TailMean(losses), clock.Elapsed.TotalSeconds);
    }

    private static double TailMean(List<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        if (finite.Count == 0) return double.NaN;
        int tail = Math.Max(1, finite.Count / 10);
        return finite.Skip(finite.Count - tail).Average();
    }
}
