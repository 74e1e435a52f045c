using Vinfer.Distributions;
using Vinfer.Models;
using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Modeling;

/// <summary>
/// <see cref="LocScaleReparamMessenger"/>: exact density identities (a decentred site's log joint is the non-centred
/// model's, and the centred model's plus the Jacobian Σ log scale), the value map x = loc + scale·z for every
/// location-scale family, shapes under plates and event dimensions, and one clear error per bad site.
/// </summary>
public class LocScaleReparamMessengerTests
{
    private static readonly Tensor Y = Tensor.FromArray(EightSchools.ClassicY);
    private static readonly Tensor Sigma = Tensor.FromArray(EightSchools.ClassicSigma);

    private static Trace TraceWith(Action model, Dictionary<string, Tensor> values)
    {
        using (Handle.Seed(5))
        using (Handle.Substitute(values))
            return Handle.TraceOf(model);
    }

    [Fact]
    public void DecentredCentredEightSchoolsHasTheNonCentredLogJointAtMatchedPoints()
    {
        var decentred = LocScaleReparamMessenger.Decenter(() => EightSchoolsCentered.Program(Y, Sigma), ["theta"]);
        double[] z = [0.3, -1.2, 0.8, 0.05, -0.4, 1.7, -0.9, 0.6];
        foreach (double tau in new[] { 0.05, 1.3, 11.0 })
        {
            var mu = Tensor.Scalar(2.5);
            var t = Tensor.Scalar(tau);
            var d = TraceWith(decentred, new() { ["mu"] = mu, ["tau"] = t, ["theta_decentered"] = Tensor.FromArray(z) });
            var nc = TraceWith(() => EightSchools.Program(Y, Sigma), new() { ["mu"] = mu, ["tau"] = t, ["theta_trans"] = Tensor.FromArray(z) });
            Assert.Equal(nc.LogProbSum().Item(), d.LogProbSum().Item(), 11);
            Assert.Equal(["mu", "tau", "theta_decentered"], d.Latents.Select(s => s.Name));
            Assert.Equal(SiteKind.Deterministic, d["theta"].Kind);
            var theta = d["theta"].Value!.ToArray();
            for (int j = 0; j < 8; j++) Assert.Equal(2.5 + tau * z[j], theta[j], 12);

            // the centred model at θ = μ + τz differs by the Jacobian of z ↦ θ, J·log τ
            var c = TraceWith(() => EightSchoolsCentered.Program(Y, Sigma), new() { ["mu"] = mu, ["tau"] = t, ["theta"] = Tensor.FromArray(theta) });
            Assert.Equal(c.LogProbSum().Item() + 8 * Math.Log(tau), d.LogProbSum().Item(), 10);
        }
    }

    public static TheoryData<string> Families => new() { "normal", "student_t", "cauchy", "laplace", "logistic", "gumbel" };

    private static Distribution Make(string family, Tensor loc, Tensor scale) => family switch
    {
        "normal" => new Normal(loc, scale),
        "student_t" => new StudentT(Tensor.Scalar(4.0), loc, scale),
        "cauchy" => new Cauchy(loc, scale),
        "laplace" => new Laplace(loc, scale),
        "logistic" => new Logistic(loc, scale),
        "gumbel" => new Gumbel(loc, scale),
        _ => throw new ArgumentException(family),
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void EveryLocationScaleFamilyMapsTheStandardDrawAndKeepsTheDensity(string family)
    {
        var loc = Tensor.FromArray([1.3, -0.4, 2.0]);
        var scale = Tensor.FromArray([0.7, 2.5, 0.2]);
        void Model() => Sample("x", Make(family, loc, scale).ToEvent(1));
        var decentred = LocScaleReparamMessenger.Decenter(Model, ["x"]);
        double[] z = [0.4, -1.1, 2.3];
        var trace = TraceWith(decentred, new() { ["x_decentered"] = Tensor.FromArray(z) });
        var x = trace["x"].Value!.ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(loc.ToArray()[i] + scale.ToArray()[i] * z[i], x[i], 12);
        // log D(0,1)(z) = log D(loc, scale)(x) + Σ log scale: the standard distribution is the right one
        double logStandard = trace.LogProbSum().Item();
        double logCentred = Make(family, loc, scale).ToEvent(1).LogProb(Tensor.FromArray(x)).Item();
        Assert.Equal(logCentred + scale.ToArray().Sum(Math.Log), logStandard, 10);
        Assert.Equal([3], trace["x_decentered"].Distribution!.EventShape);
    }

    [Fact]
    public void ADecentredSiteKeepsItsPlatesAndShape()
    {
        var decentred = LocScaleReparamMessenger.Decenter(() => EightSchoolsCentered.Program(Y, Sigma), ["theta"]);
        Trace trace;
        using (Handle.Seed(2)) trace = Handle.TraceOf(decentred);
        var z = trace["theta_decentered"];
        Assert.Equal([8], z.Value!.ShapeArray);
        Assert.Equal(["J"], z.Frames.Select(f => f.Name));
        Assert.DoesNotContain(trace.Latents, s => s.Name == "theta");
    }

    [Theory]
    [InlineData("nope", "the model has no latent site 'nope' (its latent sites: mu, tau, theta)")]
    [InlineData("tau", "site 'tau' has a HalfCauchy distribution, not a location-scale family")]
    [InlineData("y", "site 'y' is observed; only latent sites can be decentred")]
    public void ABadSiteGivesOneErrorNamingIt(string site, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => LocScaleReparamMessenger.Decenter(() => EightSchoolsCentered.Program(Y, Sigma), [site], "--decenter"));
        Assert.StartsWith("--decenter: ", e.Message);
        Assert.Contains(message, e.Message);
    }
}
