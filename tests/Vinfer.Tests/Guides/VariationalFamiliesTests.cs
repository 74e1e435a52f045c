using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tests.Inference;

namespace Vinfer.Tests.Guides;

public class VariationalFamiliesTests
{
    [Fact]
    public void TheLibraryFamiliesAreRegisteredUnderTheirCommandLineAndFileNames()
    {
        Assert.Equal(["meanfield", "fullrank", "lowrank", "map"], VariationalFamilies.Names.Take(4));
        Assert.StartsWith("meanfield, fullrank, lowrank", VariationalFamilies.NameList());
        Assert.Same(VariationalFamilies.MeanField, VariationalFamilies.Get("meanfield"));
        Assert.Same(VariationalFamilies.Map, VariationalFamily.Map);
        Assert.True(VariationalFamilies.Map.IsPointEstimate);
        Assert.False(VariationalFamilies.LowRank.IsPointEstimate);
        Assert.Contains("'gaussian'", Assert.Throws<ArgumentException>(() => VariationalFamilies.Get("gaussian")).Message);
        var c = new ConjugateNormal();
        foreach (var family in VariationalFamilies.All.Take(4))
        {
            var guide = family.Create(c.Model, new FamilyOptions { Rank = 1 });
            Assert.Equal(family.FileFamily, guide.Family);
            Assert.True(VariationalFamilies.TryGetByFileFamily(guide.Family, out var back));
            Assert.Same(family, back);
        }
        Assert.Equal(3, ((AutoLowRankMultivariateNormal)VariationalFamilies.LowRank.Create(c.Model, new FamilyOptions { Rank = 3 })).Rank);
    }

    [Fact]
    public void EveryFamilySavesAndLoadsThroughTheRegistry()
    {
        var c = new ConjugateNormal();
        foreach (var family in VariationalFamilies.All.Take(4))
        {
            var guide = family.Create(c.Model, new FamilyOptions { Rank = 2 });
            var store = new ParamStore();
            using (store.Use()) guide.InitializeParameters();
            var loaded = GuideFile.FromJson(guide.ToJson(store));
            Assert.Equal(guide.GetType(), loaded.Guide.GetType());
            Assert.Equal(Draws(guide, store), Draws(loaded.Guide, loaded.Store));
        }
        Assert.Equal(2, ((AutoLowRankMultivariateNormal)GuideFile.FromJson(
            VariationalFamilies.LowRank.Create(c.Model, new FamilyOptions { Rank = 2 }).ToJson(InitializedStore(VariationalFamilies.LowRank, c))).Guide).Rank);
    }

    private static ParamStore InitializedStore(VariationalFamily family, ConjugateNormal c)
    {
        var store = new ParamStore();
        using (store.Use()) family.Create(c.Model, new FamilyOptions { Rank = 2 }).InitializeParameters();
        return store;
    }

    private static double[] Draws(AutoGuide guide, ParamStore store)
    {
        using var _ = store.Use();
        return ParticleLogWeights.RunVectorized(guide.Run, 8, -(guide.MaxPlateNesting + 1), new RandomStream(3), null)["mu"].Value!.ToArray();
    }

    /// <summary>A new flat family written outside the library: independent normals over the flat latent vector.</summary>
    private sealed class DiagonalFlatGuide : FlatLatentGuide
    {
        public DiagonalFlatGuide(Action model) : base(model, "DiagonalFlat") { }
        public DiagonalFlatGuide(IReadOnlyList<LatentSite> latents, int nesting, string prefix) : base(latents, nesting, prefix) { }
        public override string Family => "TestDiagonalFlat";
        protected override void CreateParameters() => LatentDistribution();
        public override Distribution LatentDistribution()
        {
            int d = LatentDimension;
            var loc = Primitives.Param($"{Prefix}.loc", () => Tensor.Zeros(d));
            var scale = Primitives.Param($"{Prefix}.scale", () => Tensor.Full(0.1, d), Constraints.Positive);
            return new Normal(loc, scale).ToEvent(1);
        }
    }

    private sealed class DiagonalFlatFamily : VariationalFamily
    {
        public override string Name => "test-diagonal-flat";
        public override IReadOnlyList<string> Aliases => ["test-diagonal"];
        public override string FileFamily => "TestDiagonalFlat";
        public override string Description => "independent normals over the flat latent vector (test)";
        public override AutoGuide Create(Action model, FamilyOptions options) => new DiagonalFlatGuide(model);
        public override AutoGuide Load(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, System.Text.Json.Nodes.JsonObject settings) =>
            new DiagonalFlatGuide(latents, maxPlateNesting, prefix);
    }

    private static readonly Lazy<VariationalFamily> Diagonal = new(() =>
    {
        var family = new DiagonalFlatFamily();
        VariationalFamilies.Register(family);
        return family;
    });

    [Fact]
    public void ANewFamilyIsOneClassThatFitsSavesAndLoads()
    {
        var family = Diagonal.Value;
        Assert.Same(family, VariationalFamilies.Get("test-diagonal"));
        Assert.Contains("already taken", Assert.Throws<ArgumentException>(() => VariationalFamilies.Register(new DiagonalFlatFamily())).Message);

        var c = new ConjugateNormal();
        var fit = VariationalFit.Fit(c.Model, new FitOptions { Family = family, Steps = 3000, Draws = 4000, Seed = 2 });
        Assert.Same(family, fit.Family);
        // The family contains the normal posterior; the draws' mean is within its Monte Carlo error of the exact mean
        var mu = fit.Summary.Single(s => s.Name == "mu");
        double se = c.PosteriorSd / Math.Sqrt(4000);
        Assert.InRange(mu.Mean, c.PosteriorMean - 5 * se, c.PosteriorMean + 5 * se);
        Assert.InRange(mu.Sd / c.PosteriorSd, 0.95, 1.05);

        var loaded = GuideFile.FromJson(fit.Guide.ToJson(fit.Store));
        Assert.IsType<DiagonalFlatGuide>(loaded.Guide);
        Assert.Equal(Draws(fit.Guide, fit.Store), Draws(loaded.Guide, loaded.Store));
    }
}
