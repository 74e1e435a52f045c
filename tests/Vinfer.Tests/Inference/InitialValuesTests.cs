using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Models;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Inference;

/// <summary>Stan-style initial values: checked against the model's sites, mapped to the unconstrained scale, placed on the guide's location.</summary>
public class InitialValuesTests
{
    private static readonly Action Schools = new EightSchools().Bind(EightSchools.ClassicData);

    private static InitialValues Values(string json) => new(StanData.Parse(json, "init.json"));

    private const string Good = """{"mu": 1.5, "tau": 2.0, "theta_trans": [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8]}""";

    // a simplex and a bounded scalar: the stick-breaking and logit transforms
    private static void SimplexModel()
    {
        Sample("w", new Dirichlet(Vinfer.Tensors.Tensor.FromArray([1.0, 1, 1], 3)));
        Sample("p", new Beta(2, 2));
    }

    [Fact]
    public void ValuesMapToTheUnconstrainedScaleBySiteBijector()
    {
        var latents = ModelPrototype.Capture(Schools).Latents;
        var u = Values(Good).Unconstrain(latents);
        Assert.Equal(1.5, u["mu"].Span[0], 15);
        Assert.Equal(Math.Log(2.0), u["tau"].Span[0], 15); // tau > 0: u = log tau
        Assert.Equal([0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8], u["theta_trans"].ToArray());
        Assert.Empty(u["tau"].Shape.ToArray());

        var simplex = Values("""{"w": [0.2, 0.3, 0.5], "p": 0.25}""").Unconstrain(ModelPrototype.Capture(SimplexModel).Latents);
        Assert.Equal(Math.Log(0.25 / 0.75), simplex["p"].Span[0], 14); // logit
        Assert.Equal(2, simplex["w"].Count);
        // the round trip recovers the simplex
        var back = ConstraintCodec.UnconstrainingBijector(new Dirichlet(Vinfer.Tensors.Tensor.FromArray([1.0, 1, 1], 3)).Support)!.Forward(simplex["w"]).ToArray();
        Assert.Equal(0.2, back[0], 14);
        Assert.Equal(0.3, back[1], 14);
        Assert.Equal(0.5, back[2], 14);
    }

    [Theory]
    [InlineData("""{"mu": 1.5, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""", "parameter 'tau' is missing from init.json (parameters: mu, tau, theta_trans)")]
    [InlineData("""{"mu": 1.5, "tau": 2, "theta_trans": [0, 0, 0]}""", "parameter 'theta_trans' has shape [3] in init.json, expected [8]")]
    [InlineData("""{"mu": [1.5], "tau": 2, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""", "parameter 'mu' has shape [1] in init.json, expected [] (a number)")]
    [InlineData("""{"mu": 1.5, "tau": -1, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""", "parameter 'tau' = -1 in init.json is outside its support (non-negative)")]
    [InlineData("""{"mu": 1.5, "tau": 0, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""", "parameter 'tau' in init.json lies on the boundary of its support (non-negative)")]
    [InlineData("""{"mu": 1.5, "tau": 2, "sigma": 1, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""", "'sigma' in init.json is not a parameter of the model")]
    [InlineData("""{"mu": "a", "tau": 2, "theta_trans": [0, 0, 0, 0, 0, 0, 0, 0]}""", "mu")]
    public void BadValuesAreOneErrorNamingTheParameter(string json, string message)
    {
        var latents = ModelPrototype.Capture(Schools).Latents;
        var e = Assert.ThrowsAny<Exception>(() => Values(json).Unconstrain(latents));
        Assert.True(e is ArgumentException or DataFormatException, e.GetType().Name);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void AnEntryOutsideItsSupportIsNamedByItsIndexAndAJointSupportByTheParameter()
    {
        var latents = ModelPrototype.Capture(SimplexModel).Latents;
        var e = Assert.Throws<ArgumentException>(() => Values("""{"w": [0.2, 0.3, 0.5], "p": 1.5}""").Unconstrain(latents));
        Assert.Contains("'p' = 1.5", e.Message);
        e = Assert.Throws<ArgumentException>(() => Values("""{"w": [0.2, 0.3, 0.6], "p": 0.5}""").Unconstrain(latents));
        Assert.Contains("parameter 'w' in init.json is outside its support (on the simplex", e.Message);
        // a vector with an elementwise support names the entry, 1-based as Stan does
        void Positive() => Sample("s", new HalfNormal(1.0).Expand([3]).ToEvent(1));
        e = Assert.Throws<ArgumentException>(() => Values("""{"s": [1, 2, -3]}""").Unconstrain(ModelPrototype.Capture(Positive).Latents));
        Assert.Contains("'s'[3] = -3", e.Message);
    }

    [Theory]
    [InlineData("meanfield")]
    [InlineData("fullrank")]
    [InlineData("lowrank")]
    [InlineData("map")]
    public void TheGuideLocationStartsAtTheValues(string familyName)
    {
        Assert.True(VariationalFamilies.TryGet(familyName, out var family));
        var guide = family.Create(Schools, new FamilyOptions());
        var store = new ParamStore();
        _ = new Svi(Schools, guide, new Vinfer.Optim.Adam(0.01), new Vinfer.Objectives.Elbo(1), store);
        var u = Values(Good).Unconstrain(guide.Latents);
        InitialValues.SetLocation(store, guide.Latents, u);
        // the guide's draws from a point mass (map) or its mean on the unconstrained scale is the start
        var mean = ApproximationMean(guide, store);
        Assert.Equal(1.5, mean["mu"], 12);
        Assert.Equal(Math.Log(2.0), mean["tau"], 12);
        Assert.Equal(-0.8, mean["theta_trans[8]"], 12);
    }

    /// <summary>The location parameters read back by site, from the store.</summary>
    private static Dictionary<string, double> ApproximationMean(AutoGuide guide, ParamStore store)
    {
        var result = new Dictionary<string, double>();
        foreach (var (name, leaf) in store.Unconstrained)
        {
            string last = name[(name.IndexOf('.') + 1)..];
            if (last == "loc")
            {
                int offset = 0;
                foreach (var site in guide.Latents)
                {
                    for (int i = 0; i < site.UnconstrainedCount; i++)
                        result[site.UnconstrainedCount == 1 && site.Shape.Length == 0 ? site.Name : $"{site.Name}[{i + 1}]"] = leaf.Span[offset + i];
                    offset += site.UnconstrainedCount;
                }
            }
            else if (last.StartsWith("loc.", StringComparison.Ordinal))
            {
                string site = last[4..];
                bool scalar = guide.Latents.Single(l => l.Name == site).Shape.Length == 0;
                for (int i = 0; i < leaf.Count; i++) result[scalar ? site : $"{site}[{i + 1}]"] = leaf.Span[i];
            }
        }
        return result;
    }

    [Fact]
    public void AFitFromInitialValuesStartsThere()
    {
        // MAP with a vanishing learning rate stays where it started: the reported point is the start, constrained
        var fit = VariationalFit.Fit(Schools, new FitOptions
        {
            Family = VariationalFamilies.Map,
            Steps = 1,
            Tolerance = null,
            AverageSteps = 0,
            LearningRate = 1e-300,
            Draws = 10,
            InitialValues = Values(Good),
        });
        Assert.Null(fit.Pathfinder);
        var mu = fit.Summary.Single(p => p.Name == "mu");
        var tau = fit.Summary.Single(p => p.Name == "tau");
        Assert.Equal(1.5, mu.Mean, 12);
        Assert.Equal(2.0, tau.Mean, 12);
    }
}
