using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// The one list every public distribution goes through (Stan Math's test-framework idea, as
/// <see cref="Tensors.OpGradientRegistry"/> for ops): each entry names the distribution's type and points at the test
/// that checks its log-density against an independent reference (MathNet.Numerics or a closed form written in the
/// test, at several parameter sets including extreme ones) and at the test that checks <c>LogProb</c>'s gradient in
/// the parameters (and in the value, when continuous) through <see cref="Vinfer.Autodiff.GradientCheck"/>.
/// Entries point at existing tests instead of repeating them; <see cref="DistributionCoverageTests"/> fails when a
/// distribution has no entry or an entry points at a test that does not exist.
/// </summary>
internal static class DistributionRegistry
{
    /// <summary>A test method, and for a theory the first argument of the row that concerns this distribution (null: every row).</summary>
    internal sealed record TestReference(Type TestClass, string Method, object? Row = null)
    {
        /// <inheritdoc />
        public override string ToString() => $"{TestClass.Name}.{Method}{(Row is null ? "" : $"(\"{Row}\")")}";
    }

    /// <summary>A distribution's type and the tests of its log-density and of its gradient.</summary>
    internal sealed record Entry(Type Distribution, TestReference LogDensity, TestReference Gradient);

    private static TestReference Test<T>(string method, object? row = null) => new(typeof(T), method, row);

    private static Entry Of<TDistribution>(TestReference logDensity, TestReference gradient) where TDistribution : Distribution =>
        new(typeof(TDistribution), logDensity, gradient);

    public static IReadOnlyList<Entry> All { get; } = Build();

    private static List<Entry> Build()
    {
        var list = new List<Entry>();
        // The table-driven scalar continuous cases: the type is whatever the case builds.
        foreach (var c in ScalarContinuousCases.All)
        {
            var type = c.Create(c.SampleParameters.Select(Tensor.Scalar).ToArray()).GetType();
            list.Add(new(type,
                Test<ScalarContinuousTests>(nameof(ScalarContinuousTests.LogProbMatchesReferenceOnRandomParametersAndTails), c.Name),
                Test<ScalarContinuousTests>(nameof(ScalarContinuousTests.LogProbGradientInParametersAndValue), c.Name)));
        }
        list.AddRange(
        [
            Of<Bernoulli>(Test<DiscreteTests>(nameof(DiscreteTests.BernoulliByProbsAndLogits)), Test<DiscreteTests>(nameof(DiscreteTests.BernoulliByProbsAndLogits))),
            Of<Binomial>(Test<DiscreteTests>(nameof(DiscreteTests.BinomialMatchesMathNetAndSamplesExactly)), Test<DiscreteTests>(nameof(DiscreteTests.BinomialMatchesMathNetAndSamplesExactly))),
            Of<Categorical>(Test<DiscreteTests>(nameof(DiscreteTests.CategoricalMatchesLogSoftmaxAtExtremeLogits)), Test<DiscreteTests>(nameof(DiscreteTests.CategoricalByProbsAndLogits))),
            Of<Poisson>(Test<DiscreteTests>(nameof(DiscreteTests.PoissonMatchesMathNet)), Test<DiscreteTests>(nameof(DiscreteTests.PoissonMatchesMathNet))),
            Of<NegativeBinomial>(Test<DiscreteTests>(nameof(DiscreteTests.NegativeBinomialMatchesMathNetWithFlippedProbability)),
                Test<DiscreteTests>(nameof(DiscreteTests.NegativeBinomialMatchesMathNetWithFlippedProbability))),
            Of<Multinomial>(Test<DiscreteTests>(nameof(DiscreteTests.MultinomialMatchesMathNetAtExtremeProbabilitiesAndCounts)), Test<DiscreteTests>(nameof(DiscreteTests.MultinomialMatchesMathNet))),
            Of<Dirichlet>(Test<DirichletTests>(nameof(DirichletTests.LogProbMatchesClosedFormIncludingTails)), Test<DirichletTests>(nameof(DirichletTests.LogProbGradient))),
            Of<MultivariateNormal>(Test<MultivariateNormalTests>(nameof(MultivariateNormalTests.LogProbMatchesTheClosedFormOnRandomCovariances)),
                Test<MultivariateNormalTests>(nameof(MultivariateNormalTests.LogProbGradients))),
            Of<LowRankMultivariateNormal>(Test<MultivariateNormalTests>(nameof(MultivariateNormalTests.LowRankMatchesTheClosedFormAtExtremeScales)),
                Test<MultivariateNormalTests>(nameof(MultivariateNormalTests.LowRankLogProbGradientInParametersAndValue))),
            Of<NonReparameterized>(Test<NonReparameterizedTests>(nameof(NonReparameterizedTests.LogProbIsTheInnerLogProb)), Test<NonReparameterizedTests>(nameof(NonReparameterizedTests.LogProbGradientIsTheInnerGradient))),
            Of<RowBlockNormal>(Test<RowBlockNormalTests>(nameof(RowBlockNormalTests.LogProbIsTheSumOverTheRowsOfTheNormalDensityIncludingTails)),
                Test<RowBlockNormalTests>(nameof(RowBlockNormalTests.LogProbGradientInLocationScaleAndValue))),
            Of<Delta>(Test<DeltaTests>(nameof(DeltaTests.LogProbIsTheLogDensityAtTheValueAndMinusInfinityElsewhere)), Test<DeltaTests>(nameof(DeltaTests.LogProbGradientInTheLogDensityAndValue))),
            Of<ExpandedDistribution>(Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.ExpandedMatchesTheBroadcastBaseAndIsDifferentiable)),
                Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.ExpandedMatchesTheBroadcastBaseAndIsDifferentiable))),
            Of<Independent>(Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.IndependentSumsEventDimensions)),
                Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.IndependentLogProbGradientInParametersAndValue))),
            Of<TransformedDistribution>(Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.TransformedNormalThroughExpIsLogNormal)),
                Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.TransformedNormalThroughExpIsLogNormal))),
            Of<MixtureSameFamily>(Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.GaussianMixture)),
                Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.MixtureLogProbGradientInTheValue))),
            Of<LKJCholesky>(Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.LKJCholeskyInTwoDimensionsIsTheScaledBetaDensity)),
                Test<CompositeDistributionTests>(nameof(CompositeDistributionTests.LKJCholeskyLogProbGradientInConcentrationAndValue))),
            Of<ExpRelaxedCategorical>(Test<ExpRelaxedCategoricalTests>(nameof(ExpRelaxedCategoricalTests.LogProbMatchesTheConcreteDensity)),
                Test<ExpRelaxedCategoricalTests>(nameof(ExpRelaxedCategoricalTests.LogProbGradientInTemperatureLogitsAndValue))),
            Of<LogitRelaxedBernoulli>(Test<LogitRelaxedBernoulliTests>(nameof(LogitRelaxedBernoulliTests.LogProbMatchesTheLogisticDensityOnRandomParametersAndTails)),
                Test<LogitRelaxedBernoulliTests>(nameof(LogitRelaxedBernoulliTests.LogProbGradientInTemperatureLogitsAndValue))),
            Of<RelaxedBernoulli>(Test<RelaxedBernoulliTests>(nameof(RelaxedBernoulliTests.LogProbMatchesTheBinaryConcreteDensity)),
                Test<RelaxedBernoulliTests>(nameof(RelaxedBernoulliTests.LogProbGradientInTemperatureProbsAndValue))),
            Of<RelaxedOneHotCategorical>(Test<RelaxedOneHotCategoricalTests>(nameof(RelaxedOneHotCategoricalTests.LogProbMatchesTheConcreteDensity)),
                Test<RelaxedOneHotCategoricalTests>(nameof(RelaxedOneHotCategoricalTests.LogProbGradientInTemperatureLogitsAndValue))),
            Of<VonMises>(Test<VonMisesTests>(nameof(VonMisesTests.DensityIntegratesToOneAndMomentsMatchTheClosedForms)),
                Test<VonMisesTests>(nameof(VonMisesTests.LogProbGradientInParametersAndValue))),
            Of<ImproperUniform>(Test<ImproperUniformTests>(nameof(ImproperUniformTests.LogProbIsZeroWithTheBatchShape)),
                Test<ImproperUniformTests>(nameof(ImproperUniformTests.LogProbHasNoGradientContribution))),
        ]);
        return list;
    }
}
