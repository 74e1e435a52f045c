using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Autodiff;
using Vinfer.Cli;
using Vinfer.Distributions;
using Vinfer.Experiments.GlobalConvergence;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;
using Vinfer.Tests.Data;

namespace Vinfer.Tests.Experiments;

/// <summary>The rotated-MNIST study's pieces against direct computations, and <c>vinfer experiment gcvi-rotated-mnist --quick</c>.</summary>
public class GcviRotatedMnistTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-gcvirot-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A one-layer generator of 5×5 images from 2 latents: tanh(W z + b).</summary>
    private static RotatedDigitGenerator TinyGenerator()
    {
        var rng = new System.Random(11);
        var w = Enumerable.Range(0, 25 * 2).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var b = Enumerable.Range(0, 25).Select(_ => rng.NextDouble() - 0.5).ToArray();
        return new RotatedDigitGenerator([(Tensor.FromArray(w, 25, 2), Tensor.FromArray(b, 25))]);
    }

    private static Tensor Values(int seed, double low, double high, params int[] shape)
    {
        var rng = new System.Random(seed);
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = low + (high - low) * rng.NextDouble();
        return t;
    }

    [Fact]
    public void IwboOfTheAngleEqualsADirectComputation()
    {
        var generator = TinyGenerator();
        int k = 3, b = 2, d = 2, p = 25;
        double sigma = 0.3, theta = 1.1;
        var images = Values(1, 0, 1, b, p);
        var mean = Values(2, -1, 1, b, d);
        var logScale = Values(3, -1, 0.5, b, d);
        var noise = Values(4, -2, 2, k, b, d);
        double bound = RotationIwbo.Bound(RotationIwbo.LogWeights(generator, images, Tensor.Scalar(theta), mean, logScale, noise, sigma), totalImages: 10).Item();

        // direct: each weight by loops over pixels and latents, each image's log-mean-exp by hand, scaled by N/B = 5
        double expected = 0;
        for (int n = 0; n < b; n++)
        {
            var logWeights = new double[k];
            for (int j = 0; j < k; j++)
            {
                var z = new double[d];
                double logPrior = 0, logQ = 0;
                for (int i = 0; i < d; i++)
                {
                    double scale = Math.Exp(logScale.Span[n * d + i]), e = noise.Span[(j * b + n) * d + i];
                    z[i] = mean.Span[n * d + i] + scale * e;
                    logPrior += -0.5 * z[i] * z[i] - 0.5 * Math.Log(2 * Math.PI);
                    logQ += -0.5 * e * e - Math.Log(scale) - 0.5 * Math.Log(2 * Math.PI);
                }
                Tensor generated;
                using (GradMode.Disable()) generated = generator.Generate(Tensor.FromArray(z, 1, d)).Reshape(1, 5, 5);
                var rotated = ImageRotation.Rotate(generated, Tensor.FromArray([theta], 1)).Span;
                double logLikelihood = 0;
                for (int q = 0; q < p; q++)
                {
                    double r = images.Span[n * p + q] - rotated[q];
                    logLikelihood += -0.5 * r * r / (sigma * sigma) - Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI);
                }
                logWeights[j] = logLikelihood + logPrior - logQ;
            }
            double max = logWeights.Max();
            expected += max + Math.Log(logWeights.Sum(w => Math.Exp(w - max)) / k);
        }
        expected *= 10.0 / b;
        Assert.Equal(expected, bound, 9);
    }

    [Fact]
    public void IwboGradientChecksInTheAngleAndTheEncoderOutputs()
    {
        var generator = TinyGenerator();
        var images = Values(1, 0, 1, 2, 25);
        var noise = Values(4, -2, 2, 3, 2, 2);
        var result = GradientCheck.Check(xs => RotationIwbo.Bound(RotationIwbo.LogWeights(generator, images, xs[0], xs[1], xs[2], noise, 0.3), 2),
            [Tensor.Scalar(1.1), Values(2, -1, 1, 2, 2), Values(3, -1, 0.5, 2, 2)], tolerance: 1e-5);
        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void VonMisesNpeReachesTheMaximumLikelihoodOptimumOfAFixedSample()
    {
        // L_P on a fixed batch with a q that ignores x is the von Mises negative log-likelihood: its minimum is the MLE,
        // μ̂ = atan2(S̄, C̄) and I₁(κ̂)/I₀(κ̂) = R̄ (Mardia and Jupp 2000, §5.3).
        int n = 400;
        var thetas = new VonMises(1.0, 3.0).Sample(new RandomStream(5), n);
        var observations = Tensor.Zeros(n, 1);
        var npe = new NeuralPosteriorEstimation((count, _) => (thetas, observations),
            x => VonMises.FromNaturalParameters(Primitives.Param("eta1", Tensor.Scalar(0.5)).Expand(x.Dim(0)), Primitives.Param("eta2", Tensor.Scalar(0.0)).Expand(x.Dim(0))),
            new Adam(0.05), simulationsPerStep: n);
        var random = new RandomStream(1);
        for (int step = 0; step < 3000; step++) npe.Step(random);
        double c = thetas.Span.ToArray().Average(Math.Cos), s = thetas.Span.ToArray().Average(Math.Sin), r = Math.Sqrt(c * c + s * s);
        double low = 1e-6, high = 100;
        for (int i = 0; i < 200; i++) { double mid = 0.5 * (low + high); if (ModifiedBessel.I1OverI0(mid) < r) low = mid; else high = mid; }
        double kappa = 0.5 * (low + high), mu = Math.Atan2(s, c);
        double eta1 = npe.Store.Unconstrained.First(p => p.Key == "eta1").Value.Item(), eta2 = npe.Store.Unconstrained.First(p => p.Key == "eta2").Value.Item();
        Assert.Equal(kappa * Math.Cos(mu), eta1, 3);
        Assert.Equal(kappa * Math.Sin(mu), eta2, 3);
        // and the loss there is the closed form −κ̂R̄ + log 2π + log I₀(κ̂)
        Assert.Equal(-kappa * r + Math.Log(2 * Math.PI) + ModifiedBessel.LogI0(kappa), npe.Loss(thetas, observations), 6);
    }

    [Fact]
    public void AngleEncoderStartsAtItsOffsetAndItsNpeLossIsTheVonMisesNegativeLogDensity()
    {
        double offset = 200 * Math.PI / 180, kappa = 2;
        var store = new ParamStore();
        RotationAngleEncoder encoder;
        using (store.Use()) encoder = new RotationAngleEncoder("lp", 28, offset, kappa, new RandomStream(3), outputScale: 10);
        var sets = Values(8, 0, 1, 3, 4, 28, 28);
        var thetas = Tensor.FromArray([0.3, 2.0, 5.5], 3);
        using (store.Use())
        {
            var q = encoder.Posterior(sets);
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(Math.Atan2(Math.Sin(offset), Math.Cos(offset)), q.Loc.Span[i], 12);
                Assert.Equal(kappa, q.Concentration.Span[i], 12);
            }
        }
        var npe = new NeuralPosteriorEstimation((count, _) => (thetas, sets), x => encoder.Posterior(x), new Adam(1e-3), 3, store);
        double expected = thetas.Span.ToArray().Average(t => -kappa * Math.Cos(t - offset) + Math.Log(2 * Math.PI) + ModifiedBessel.LogI0(kappa));
        Assert.Equal(expected, npe.Loss(thetas, sets), 10);
        // one step moves the head's zero last layer, so q's mode now depends on the data
        npe.Step(new RandomStream(1));
        using (store.Use()) Assert.NotEqual(kappa, encoder.Posterior(sets).Concentration.Span[0]);
    }

    [Fact]
    public void AngleHelpersWrapAndTakeTheShortWayRound()
    {
        Assert.Equal(350, GcviRotatedMnistStudy.Wrap(-10), 12);
        Assert.Equal(20, GcviRotatedMnistStudy.Wrap(740), 12);
        Assert.Equal(-20, GcviRotatedMnistStudy.Difference(350, 10), 12);
        Assert.Equal(180, GcviRotatedMnistStudy.Difference(260, 80), 12);
        Assert.True(GcviRotatedMnistReport.InBand(240) && GcviRotatedMnistReport.InBand(280) && !GcviRotatedMnistReport.InBand(281));
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => Vinfer.Tests.Cli.InProcessCli.Run(args);

    [Fact]
    public void QuickRunOnTheCommittedSliceWritesEveryRunAndTheFigures()
    {
        var (code, stdout, stderr) = Run("experiment", "gcvi-rotated-mnist", "--quick", "--images", TestImages.ImagesPath, "--out", _dir);
        Assert.True(code == 0, stderr);
        Assert.Contains("L_P from 90°", stdout);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
        var runs = json["runs"]!.AsArray();
        Assert.Equal(8, runs.Count);
        foreach (var run in runs)
        {
            double final = (double)run!["final_angle_degrees"]!;
            Assert.InRange(final, 0, 360);
            var angles = run["angle_degrees"]!.AsArray();
            Assert.Equal((double)run["start_degrees"]!, (double)angles[0]!, 6);   // each run starts where it says
        }
        Assert.Equal(40, (int)json["generator_training_images"]!);
        Assert.Contains("| start | L_P final mode |", File.ReadAllText(Path.Combine(_dir, "gcvi-rotated-mnist.md")));
        foreach (var png in new[] { "lp-angles.png", "iwbo-angles.png", "observed.png", "generator.png" })
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(Path.Combine(_dir, png))[..4]);
    }

    [Fact]
    public void BadSettingsFailWithOneMessageNamingTheOption()
    {
        var (code, _, stderr) = Run("experiment", "gcvi-rotated-mnist", "--quick", "--images", TestImages.ImagesPath, "--starts", "0", "--out", _dir);
        Assert.NotEqual(0, code);
        Assert.Contains("--starts must be at least 1, got 0", stderr);
        Assert.False(Directory.Exists(_dir));
        (code, _, stderr) = Run("experiment", "gcvi-rotated-mnist", "--quick", "--images", TestImages.ImagesPath, "--only", "elbo", "--out", _dir);
        Assert.NotEqual(0, code);
        Assert.Contains("--only must be lp or iwbo, got 'elbo'", stderr);
        (code, _, stderr) = Run("experiment", "gcvi-rotated-mnist", "--quick", "--images", Path.Combine(_dir, "missing.idx"), "--out", _dir);
        Assert.NotEqual(0, code);
        Assert.Contains("--images", stderr);
    }
}
