using Vinfer.Distributions;
using Vinfer.Experiments.Targets;
using Vinfer.Inference;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>Stein variational gradient descent: the kernel pass against its definition, and fits against exact posteriors.</summary>
public class SvgdTests
{
    private static Tensor RandomMatrix(ulong seed, int n, int d, double scale = 1)
    {
        var v = new double[n * d];
        Vinfer.Random.Sample.Normal(new RandomKey(seed), 0, scale, v);
        return Tensor.FromArray(v, n, d);
    }

    /// <summary>φ(xᵢ) = (1/n) Σⱼ [k(xⱼ, xᵢ) sⱼ + ∇_{xⱼ} k(xⱼ, xᵢ)] pair by pair, with ∇k by central differences of k.</summary>
    private static double[] BruteForceDirection(Func<double[], double[], double> k, Tensor x, Tensor s)
    {
        int n = x.Dim(0), d = x.Dim(1);
        var xs = x.ToArray();
        var ss = s.ToArray();
        var phi = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            var xi = xs.AsSpan(i * d, d).ToArray();
            for (int j = 0; j < n; j++)
            {
                var xj = xs.AsSpan(j * d, d).ToArray();
                double kji = k(xj, xi);
                for (int a = 0; a < d; a++)
                {
                    var plus = (double[])xj.Clone();
                    var minus = (double[])xj.Clone();
                    plus[a] += 1e-6;
                    minus[a] -= 1e-6;
                    double gradient = (k(plus, xi) - k(minus, xi)) / 2e-6;
                    phi[i * d + a] += (kji * ss[j * d + a] + gradient) / n;
                }
            }
        }
        return phi;
    }

    private static double SquaredDistance(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheRbfDirectionIsTheDefinitionSummedPairByPair(bool medianHeuristic)
    {
        var x = RandomMatrix(1, 7, 3);
        var s = RandomMatrix(2, 7, 3);
        var kernel = new RbfSteinKernel(medianHeuristic ? null : 1.7);
        double h = medianHeuristic ? kernel.BandwidthFor(SteinKernel.SquaredDistances(x), 7) : 1.7;
        if (medianHeuristic)
        {
            // h = med²/log n with the median over the 21 distinct pairs
            var xs = x.ToArray();
            var pairs = new List<double>();
            for (int i = 0; i < 7; i++) for (int j = i + 1; j < 7; j++) pairs.Add(SquaredDistance(xs[(i * 3)..(i * 3 + 3)], xs[(j * 3)..(j * 3 + 3)]));
            pairs.Sort();
            Assert.Equal(pairs[10] / Math.Log(7), h, 12);
        }
        var expected = BruteForceDirection((a, b) => Math.Exp(-SquaredDistance(a, b) / h), x, s);
        var actual = kernel.Direction(x, s).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 7);
    }

    [Fact]
    public void TheImqDirectionIsTheDefinitionSummedPairByPair()
    {
        var x = RandomMatrix(3, 6, 2, 2.0);
        var s = RandomMatrix(4, 6, 2);
        var expected = BruteForceDirection((a, b) => Math.Pow(1 + SquaredDistance(a, b) / 0.8, -0.5), x, s);
        var actual = new ImqSteinKernel(0.8).Direction(x, s).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 7);
    }

    [Fact]
    public void FewerThanTwoParticlesIsAClearError()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Svgd(new ConjugateNormal().Model, 1));
        Assert.Contains("at least 2 particles, got 1", e.Message);
    }

    [Fact]
    public void ParticlesMatchAConjugatePosteriorThroughADataPlate()
    {
        var m = new ConjugateNormal();
        var svgd = new Svgd(m.Model, 50, optimizer: new Adagrad(0.5));
        svgd.Run(new SviOptions { Steps = 300, Tolerance = null, Seed = 5 });
        var mu = svgd.Particles.ToArray();
        double mean = mu.Average();
        double sd = Math.Sqrt(mu.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, m.PosteriorMean - 0.1 * m.PosteriorSd, m.PosteriorMean + 0.1 * m.PosteriorSd);
        Assert.InRange(sd / m.PosteriorSd, 0.9, 1.1);
    }

    /// <summary>A positive latent: the particles live on log σ and the Jacobian enters the score.</summary>
    [Fact]
    public void AConstrainedLatentIsFittedOnItsUnconstrainedScale()
    {
        // σ ~ Gamma(3, 2): log σ has density ∝ exp(3u − 2eᵘ), mean ψ(3) − log 2 and variance ψ'(3)
        void Model() => Sample("sigma", new Gamma(3.0, 2.0));
        var svgd = new Svgd(Model, 60, optimizer: new Adagrad(0.5));
        svgd.Run(new SviOptions { Steps = 300, Tolerance = null, Seed = 2 });
        var u = svgd.Particles.ToArray();
        double mean = u.Average();
        double sd = Math.Sqrt(u.Select(v => (v - mean) * (v - mean)).Average());
        double exactMean = 1.5 - 0.5772156649015329 - Math.Log(2); // ψ(3) = 1 + 1/2 − γ
        double exactSd = Math.Sqrt(Math.PI * Math.PI / 6 - 1 - 0.25); // ψ'(3) = π²/6 − 1 − 1/4
        Assert.InRange(mean, exactMean - 0.1 * exactSd, exactMean + 0.1 * exactSd);
        Assert.InRange(sd / exactSd, 0.9, 1.1);
    }

    /// <summary>
    /// SVGD on the 8-Gaussian ring: every mode holds particles, and the moments that do not depend on how many
    /// particles each mode holds match exactly: the squared radius E|z|² = R² + 2σ² and the within-mode sd σ. (The
    /// split of particles between modes is fixed by where they start: SVGD does not move mass across the low-density
    /// gaps, so the coordinate means carry the initial multinomial noise; docs/flows.md.)
    /// </summary>
    [Fact]
    public void EveryModeOfTheRingIsFoundWithItsShape()
    {
        var ring = new GaussianRing();
        const int n = 100;
        var svgd = new Svgd(ring.Program, n, optimizer: new Adagrad(0.5), initScale: 3.0);
        svgd.Run(new SviOptions { Steps = 500, Tolerance = null, Seed = 1 });
        var z = svgd.Particles.ToArray();
        var counts = new int[8];
        var spread = new double[8];
        double squaredRadius = 0;
        for (int i = 0; i < n; i++)
        {
            int k = ring.NearestMode(z[2 * i], z[2 * i + 1]);
            counts[k]++;
            var (cx, cy) = ring.Centre(k);
            spread[k] += (z[2 * i] - cx) * (z[2 * i] - cx) + (z[2 * i + 1] - cy) * (z[2 * i + 1] - cy);
            squaredRadius += (z[2 * i] * z[2 * i] + z[2 * i + 1] * z[2 * i + 1]) / n;
        }
        Assert.All(counts, c => Assert.InRange(c, 3, n));
        // |z|² = R² + 2σ c·ε + σ²|ε|² has sd 2σ√(R² + σ²) under the exact ring: within 0.1 of it
        double exact = ring.Radius * ring.Radius + 2 * ring.Scale * ring.Scale;
        double sdSquaredRadius = 2 * ring.Scale * Math.Sqrt(ring.Radius * ring.Radius + ring.Scale * ring.Scale);
        Assert.InRange(squaredRadius, exact - 0.1 * sdSquaredRadius, exact + 0.1 * sdSquaredRadius);
        double withinSd = Math.Sqrt(spread.Sum() / (2 * n));
        Assert.InRange(withinSd / ring.Scale, 0.9, 1.1);
    }

    /// <summary>A run stopped and resumed from its checkpoint ends bit-identical to one that never stopped.</summary>
    [Fact]
    public void AResumedRunIsBitIdentical()
    {
        var m = new ConjugateNormal();
        var whole = new Svgd(m.Model, 10, optimizer: new Adam(0.1));
        whole.Run(new SviOptions { Steps = 40, Tolerance = null, Seed = 4 });
        var first = new Svgd(m.Model, 10, optimizer: new Adam(0.1));
        first.Run(new SviOptions { Steps = 15, Tolerance = null, Seed = 4 });
        var checkpoint = FitLoopCheckpoint.FromJson(first.LastCheckpoint!.ToJson());
        var resumed = new Svgd(m.Model, 10, optimizer: new Adam(0.1));
        resumed.Run(new SviOptions { Steps = 40, Tolerance = null, Seed = 4 }, checkpoint);
        Assert.Equal(whole.Particles.ToArray(), resumed.Particles.ToArray());
    }

    /// <summary>With a subsampled data plate the scores are rescaled estimates: the particles still find the posterior.</summary>
    [Fact]
    public void ASubsampledPlateGivesTheSamePosteriorWithinItsNoise()
    {
        var m = new ConjugateNormal();
        void Model()
        {
            var mu = Sample("mu", new Normal(0.0, ConjugateNormal.PriorScale));
            using var plate = Plate("data", m.X.Length, subsampleSize: 5);
            Sample("x", new Normal(mu, Tensor.Scalar(ConjugateNormal.NoiseScale)), m.Data.IndexSelect(0, plate.Indices));
        }
        var svgd = new Svgd(Model, 50, optimizer: new Adagrad(0.1));
        svgd.Run(new SviOptions { Steps = 600, Tolerance = null, Seed = 8 });
        var mu = svgd.Particles.ToArray();
        double mean = mu.Average();
        double sd = Math.Sqrt(mu.Select(v => (v - mean) * (v - mean)).Average());
        // without the N/M rescaling the spread would be that of half the data: sd ratio 1.4
        Assert.InRange(sd / m.PosteriorSd, 0.8, 1.2);
        // the subsampling noise moves all particles together; 0.5 posterior sd is several times its step-to-step spread
        Assert.InRange(mean, m.PosteriorMean - 0.5 * m.PosteriorSd, m.PosteriorMean + 0.5 * m.PosteriorSd);
    }
}
