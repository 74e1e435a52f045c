using Vinfer.Distributions;
using Vinfer.Inference;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>SVI with guides written by hand (Pyro's standard pattern), fitted through <see cref="Svi"/>'s program constructor.</summary>
public class HandWrittenGuideTests
{
    [Fact]
    public void AHandWrittenGuideFitsTheConjugatePosteriorExactly()
    {
        // Normal posterior, normal guide: with sticking-the-landing the gradient noise vanishes at the optimum and
        // SGD lands on the closed-form posterior to rounding error.
        var c = new ConjugateNormal();
        static void Guide()
        {
            var loc = Param("q.loc", Tensor.Scalar(0.0));
            var scale = Param("q.scale", Tensor.Scalar(1.0), Constraints.Positive);
            Sample("mu", new Normal(loc, scale));
        }
        var svi = new Svi(c.Model, Guide, new Sgd(0.05), new Elbo(particles: 4, stickingTheLanding: true));
        Assert.Equal(1, svi.MaxPlateNesting);
        // the constructor created the guide's parameters at their initial values
        Assert.Equal(0.0, svi.Store.Get("q.loc").Item());
        Assert.Equal(1.0, svi.Store.Get("q.scale").Item(), 15);
        var run = svi.Run(new SviOptions { Steps = 600, Seed = 3 });
        Assert.Equal(600, run.Steps);
        Assert.Equal(c.PosteriorMean, svi.Store.Get("q.loc").Item(), 8);
        Assert.Equal(c.PosteriorSd, svi.Store.Get("q.scale").Item(), 8);
    }

    /// <summary>
    /// mu ~ N(0, s0²); theta_g ~ N(mu, tau²) and y_g ~ N(theta_g, sigma_g²) for G groups, seen B at a time through a
    /// subsampled plate. The posterior is Gaussian: y_g ~ N(mu, tau² + sigma_g²) marginally gives mu's posterior,
    /// and E[theta_g | y] = (y_g/sigma_g² + E[mu | y]/tau²)/(1/sigma_g² + 1/tau²). The mean-field optimum matches
    /// the posterior means and has sd_i = 1/sqrt(Λ_ii), the joint precision's diagonal.
    /// </summary>
    private sealed class Hierarchical
    {
        public const int Groups = 12, Batch = 4;
        public const double PriorScale = 5.0, Tau = 1.0;
        public readonly double[] Y = [2.1, -0.4, 1.3, 3.0, 0.2, 1.7, -1.1, 0.9, 2.6, 1.4, 0.0, 1.8];
        public readonly double[] Sigma = [0.8, 1.2, 0.6, 1.5, 1.0, 0.7, 1.3, 0.9, 1.1, 0.5, 1.4, 0.8];

        public void Model()
        {
            var mu = Sample("mu", new Normal(0.0, PriorScale));
            using var groups = Plate("groups", Groups, Batch);
            var theta = Sample("theta", new Normal(mu, Tensor.Scalar(Tau)));
            var y = Tensor.FromArray(groups.Indices.Select(g => Y[g]).ToArray());
            var sigma = Tensor.FromArray(groups.Indices.Select(g => Sigma[g]).ToArray());
            Sample("y", new Normal(theta, sigma), y);
        }

        /// <summary>The guide: a normal for mu, and per-group normals whose parameters the plate's indices pick.</summary>
        public static void Guide()
        {
            var muLoc = Param("q.mu.loc", Tensor.Scalar(0.0));
            var muScale = Param("q.mu.scale", Tensor.Scalar(1.0), Constraints.Positive);
            Sample("mu", new Normal(muLoc, muScale));
            var loc = Param("q.theta.loc", () => Tensor.Zeros(Groups));
            var scale = Param("q.theta.scale", () => Tensor.Ones(Groups), Constraints.Positive);
            using var groups = Plate("groups", Groups, Batch);
            Sample("theta", new Normal(loc.IndexSelect(0, groups.Indices), scale.IndexSelect(0, groups.Indices)));
        }

        public double MuPrecision => 1 / (PriorScale * PriorScale) + Sigma.Sum(s => 1 / (Tau * Tau + s * s));
        public double MuMean => Y.Zip(Sigma, (y, s) => y / (Tau * Tau + s * s)).Sum() / MuPrecision;
        public double ThetaMean(int g) => (Y[g] / (Sigma[g] * Sigma[g]) + MuMean / (Tau * Tau)) / (1 / (Sigma[g] * Sigma[g]) + 1 / (Tau * Tau));
        public double MuMeanFieldSd => 1 / Math.Sqrt(1 / (PriorScale * PriorScale) + Groups / (Tau * Tau));
        public double ThetaMeanFieldSd(int g) => 1 / Math.Sqrt(1 / (Sigma[g] * Sigma[g]) + 1 / (Tau * Tau));
    }

    [Fact]
    public void AHandWrittenGuideOverLocalLatentsInASubsampledPlateReachesTheMeanFieldOptimum()
    {
        var h = new Hierarchical();
        var svi = new Svi(h.Model, Hierarchical.Guide, new Sgd(0.01), new Elbo(particles: 4, stickingTheLanding: true));
        Assert.Equal(1, svi.MaxPlateNesting);
        svi.Run(new SviOptions { Steps = 3000, Seed = 11 });

        // The subsample and the particles keep the iterates moving around the optimum: average them (Polyak and
        // Juditsky 1992) at the same constant step and take the tolerance from the run itself, as 5 standard errors
        // of the average estimated by batch means.
        // Batches of 1000 steps are many times the iterates' autocorrelation time (about 1/(rate × curvature) ≈ 70
        // steps here), so the batch means are close to independent.
        const int averaged = 20_000, batches = 20;
        var names = new[] { "q.mu.loc", "q.mu.scale", "q.theta.loc", "q.theta.scale" };
        int width = 2 + 2 * Hierarchical.Groups;
        var batchSums = new double[batches, width];
        var root = new RandomKey(12);
        var current = new double[width];
        for (int k = 0; k < averaged; k++)
        {
            Assert.True(double.IsFinite(svi.Step(new RandomStream(root.Child(k)))));
            int j = 0;
            foreach (var n in names)
                foreach (double v in svi.Store.Get(n).Span) current[j++] = v;
            for (int i = 0; i < width; i++) batchSums[k * batches / averaged, i] += current[i];
        }
        var exact = new double[width];
        exact[0] = h.MuMean;
        exact[1] = h.MuMeanFieldSd;
        for (int g = 0; g < Hierarchical.Groups; g++)
        {
            exact[2 + g] = h.ThetaMean(g);
            exact[2 + Hierarchical.Groups + g] = h.ThetaMeanFieldSd(g);
        }
        for (int i = 0; i < width; i++)
        {
            var means = Enumerable.Range(0, batches).Select(b => batchSums[b, i] * batches / averaged).ToArray();
            double mean = means.Average();
            double se = Math.Sqrt(means.Sum(m => (m - mean) * (m - mean)) / (batches - 1) / batches);
            Assert.InRange(mean, exact[i] - 5 * se, exact[i] + 5 * se);
            // and the run resolves the optimum finely enough for the check to mean something
            Assert.True(se < 0.02, $"coordinate {i}: standard error {se} of the averaged iterate");
        }
    }
}
