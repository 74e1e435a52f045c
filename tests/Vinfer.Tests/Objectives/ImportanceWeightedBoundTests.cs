using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;

namespace Vinfer.Tests.Objectives;

/// <summary>
/// The importance-weighted family checked against the linear-Gaussian model's exact evidence and exact Rényi bounds.
/// Statistical checks use fixed seeds and 5 standard errors.
/// </summary>
public class ImportanceWeightedBoundTests
{
    private static readonly LinearGaussianModel Model = new(dimension: 3, observedDimension: 4, points: 2, noise: 0.8, seed: 5);

    private static (double[,] Loc, double[,] Tril) Perturbed => Model.PerturbedGuideParameters(shift: 0.25, widen: 1.3);

    private static ObjectiveValue Evaluate(IObjective objective, Action guide, ulong seed)
    {
        using var _ = new ParamStore().Use();
        return objective.Evaluate(Model.Model, guide, 1, new RandomStream(seed));
    }

    /// <summary>Mean and standard error of a sample.</summary>
    internal static (double Mean, double StandardError) MeanAndError(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double ss = values.Sum(v => (v - mean) * (v - mean));
        return (mean, Math.Sqrt(ss / (values.Count - 1) / values.Count));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.2)]
    [InlineData(-1.0)]
    [InlineData(1.0)]
    public void RenyiBoundWithManySamplesMatchesTheGaussianClosedForm(double alpha)
    {
        var (loc, tril) = Perturbed;
        const int samples = 200_000;
        var value = Evaluate(new RenyiBound(alpha, samples), Model.Guide(loc, tril), 17);
        var lw = value.Weights.LogWeights.ToArray();
        double exact = Model.RenyiBound(alpha, loc, tril);
        // Delta method: the estimate is (1/(1−α)) log mean(u) with u = w^{1−α}, so se = sd(u)/(mean(u)·√K·|1−α|);
        // for α = 1 it is the mean of log w.
        double se;
        if (alpha == 1) se = MeanAndError(lw).StandardError;
        else
        {
            double c = 1 - alpha, shift = lw.Max(v => c * v);
            var u = lw.Select(v => Math.Exp(c * v - shift)).ToArray();
            var (mean, seU) = MeanAndError(u);
            se = seU / mean / Math.Abs(c);
        }
        Assert.InRange(value.Estimate, exact - 5 * se, exact + 5 * se);
        Assert.True(se < 0.05, $"standard error {se} too large to make the comparison meaningful");
    }

    [Fact]
    public void ElboIsBelowTheEvidenceAndCuboAboveIt()
    {
        var (loc, tril) = Perturbed;
        double evidence = Model.LogEvidence();
        double elbo = Model.RenyiBound(1, loc, tril), cubo = Model.RenyiBound(-1, loc, tril);
        Assert.True(elbo < evidence - 0.05 && cubo > evidence + 0.05, $"ELBO {elbo}, log p(x) {evidence}, CUBO {cubo}");
        var elboValue = Evaluate(new RenyiBound(1.0, 50_000), Model.Guide(loc, tril), 3);
        var cuboValue = Evaluate(new ChiSquareUpperBound(50_000), Model.Guide(loc, tril), 4);
        Assert.True(elboValue.Estimate < evidence && evidence < cuboValue.Estimate, $"MC ELBO {elboValue.Estimate}, CUBO {cuboValue.Estimate}");
        // The CUBO's loss is the bound itself (minimized); lower bounds' losses are their negatives.
        Assert.Equal(cuboValue.Estimate, cuboValue.Loss.Item(), 9);
        Assert.Equal(-elboValue.Estimate, elboValue.Loss.Item(), 9);
    }

    [Fact]
    public void IwaeWithOneSampleIsTheElbo()
    {
        var (loc, tril) = Perturbed;
        var iwae = Evaluate(new IwaeBound(1, estimates: 50), Model.Guide(loc, tril), 9);
        var elbo = Evaluate(new Elbo(50), Model.Guide(loc, tril), 9);
        Assert.Equal(elbo.Estimate, iwae.Estimate, 10);
        Assert.Equal(elbo.Loss.Item(), iwae.Loss.Item(), 10);
        var vrIwae = Evaluate(new VrIwaeBound(1.0, 50), Model.Guide(loc, tril), 9);
        Assert.Equal(elbo.Estimate, vrIwae.Estimate, 10);
        Assert.NotNull(((VrIwaeBound)new VrIwaeBound(1.0, 4)).Note);
    }

    [Fact]
    public void IwaeIncreasesWithKTowardsTheEvidence()
    {
        var (loc, tril) = Perturbed;
        double evidence = Model.LogEvidence();
        double previous = double.NegativeInfinity, previousSe = 0;
        int[] ks = [1, 4, 16, 64, 256];
        double first = 0, last = 0;
        foreach (int k in ks)
        {
            var value = Evaluate(new IwaeBound(k, estimates: 2000), Model.Guide(loc, tril), (ulong)(100 + k));
            var lw = value.Weights.LogWeights.ToArray();
            var perEstimate = new double[2000];
            for (int s = 0; s < perEstimate.Length; s++) perEstimate[s] = ImportanceWeightedObjective.BoundOf(lw.AsSpan(s * k, k), 0);
            var (mean, se) = MeanAndError(perEstimate);
            Assert.Equal(mean, value.Estimate, 9);
            Assert.True(mean > previous, $"IWAE_{k} = {mean} ± {se} is not above the previous {previous} ± {previousSe}");
            Assert.True(mean < evidence + 5 * se, $"IWAE_{k} = {mean} ± {se} exceeds log p(x) = {evidence}");
            if (k == ks[0]) first = mean;
            last = mean;
            previous = mean;
            previousSe = se;
        }
        Assert.True(evidence - last < 0.1 * (evidence - first), $"IWAE_256 {last} should close most of the gap from IWAE_1 {first} to {evidence}");
    }

    public static TheoryData<string> AllBounds => new() { "iwae", "renyi", "vrmax", "vriwae", "cubo", "elbo", "local-iwae" };

    private static IObjective Make(string name, int k, int s, GradientEstimator estimator = GradientEstimator.Reparameterized) => name switch
    {
        "iwae" => new IwaeBound(k, s, estimator),
        "renyi" => new RenyiBound(0.5, k, s, estimator),
        "vrmax" => new RenyiBound(double.NegativeInfinity, k, s, estimator),
        "vriwae" => new VrIwaeBound(0.2, k, s, estimator),
        "cubo" => new ChiSquareUpperBound(k, s, estimator),
        "elbo" => new RenyiBound(1.0, k, s, estimator),
        "local-iwae" => new IwaeBound(k, s, estimator, LinearGaussianModel.PlateName),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(AllBounds))]
    public void EveryBoundEqualsTheEvidenceWithZeroVarianceAtTheExactPosterior(string name)
    {
        double evidence = Model.LogEvidence();
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var value = Evaluate(Make(name, 8, 3), Model.ExactPosteriorGuide(), seed);
            Assert.Equal(evidence, value.Estimate, 9);
            // The reparameterized surrogate is the bound itself (negated for lower bounds).
            Assert.Equal(evidence, Math.Abs(value.Loss.Item()) * Math.Sign(evidence), 9);
        }
    }

    [Theory]
    [InlineData("iwae")]
    [InlineData("vriwae")]
    [InlineData("cubo")]
    [InlineData("local-iwae")]
    public void DoublyReparameterizedGradientIsZeroAtTheExactPosterior(string name)
    {
        var store = new ParamStore();
        using var _ = store.Use();
        var value = Make(name, 8, 2, GradientEstimator.DoublyReparameterized).Evaluate(Model.Model, Model.ExactPosteriorGuide(), 1, new RandomStream(4));
        value.Loss.Backward();
        foreach (var g in store.GetUnconstrained("q_loc").Grad!.ToArray()) Assert.Equal(0.0, g, 8);
        foreach (var g in store.GetUnconstrained("q_tril").Grad!.ToArray()) Assert.Equal(0.0, g, 8);
    }

    [Fact]
    public void BadSettingsAreRejectedNamingTheArgument()
    {
        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => new IwaeBound(0));
        Assert.Contains("got 0", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => new RenyiBound(double.NaN, 4));
        Assert.Equal("alpha", e2.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new VrIwaeBound(1.5, 4));
        Assert.Throws<ArgumentException>(() => new RenyiBound(double.NegativeInfinity, 4, estimator: GradientEstimator.DoublyReparameterized));
    }
}
