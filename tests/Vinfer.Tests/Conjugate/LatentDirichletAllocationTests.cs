using Vinfer.Conjugate;
using Vinfer.Data;
using Vinfer.Random;
using Xunit.Abstractions;

namespace Vinfer.Tests.Conjugate;

/// <summary>
/// LDA against direct computations: the E-step's fixed point, the ELBO (fast kernels vs. log-space sums with the KL
/// registry), CAVI's monotone ELBO, topic recovery on a corpus drawn from known topics, SVI reaching CAVI's bound.
/// </summary>
public class LatentDirichletAllocationTests(ITestOutputHelper output)
{
    private static readonly (DocumentTermCounts Corpus, double[] Topics) Small = LdaSyntheticCorpus.Draw(4, 40, 300, 60, 0.3, 0.2, seed: 5);

    /// <summary>
    /// The ELBO computed directly: per document Σ_v n_v log Σ_k exp(E[log θ_dk] + E[log β_kv]) in log space (φ optimal
    /// for γ), minus KL(Dir(γ_d) ‖ Dir(α)) and Σ_k KL(Dir(λ_k) ‖ Dir(η)) from the library's KL registry.
    /// </summary>
    private static double DirectElbo(DocumentTermCounts corpus, ReadOnlySpan<double> gamma, ReadOnlySpan<double> lambda, int topics, double alpha, double eta)
    {
        int v = corpus.VocabularySize;
        var elogBeta = new double[topics * v];
        DirichletCategorical.ExpectedLogProbabilitiesByRow(lambda, v, elogBeta);
        var prior = DirichletCategorical.Symmetric(topics, alpha);
        double total = 0;
        var elogTheta = new double[topics];
        var terms = new double[topics];
        for (int d = 0; d < corpus.DocumentCount; d++)
        {
            var g = gamma.Slice(d * topics, topics);
            DirichletCategorical.ExpectedLogProbabilities(g, elogTheta);
            var words = corpus.DocumentWords(d);
            var counts = corpus.DocumentCounts(d);
            for (int j = 0; j < words.Length; j++)
            {
                for (int k = 0; k < topics; k++) terms[k] = elogTheta[k] + elogBeta[k * v + words[j]];
                double max = terms.Max();
                total += counts[j] * (max + Math.Log(terms.Sum(t => Math.Exp(t - max))));
            }
            total -= new DirichletCategorical(g).KullbackLeiblerTo(prior);
        }
        var topicPrior = DirichletCategorical.Symmetric(v, eta);
        for (int k = 0; k < topics; k++) total -= new DirichletCategorical(lambda.Slice(k * v, v)).KullbackLeiblerTo(topicPrior);
        return total;
    }

    private static LatentDirichletAllocation Fitted(LdaSettings settings, int passes)
    {
        var result = LdaTraining.Fit(Small.Corpus, settings, new LdaTrainingOptions { Passes = passes, Seed = 3 });
        return result.Model;
    }

    [Fact]
    public void CoordinateAscentElboNeverDecreases()
    {
        var model = new LatentDirichletAllocation(Small.Corpus, new LdaSettings { Topics = 4, WarmStart = true }, new RandomKey(9));
        var cavi = MonotoneElbo.Check(model, 60);
        Assert.True(cavi.ElboDecrease <= 1e-10 * Math.Abs(cavi.LastElbo));
    }

    [Fact]
    public void LocalStepReachesTheFixedPointOfTheDirectUpdates()
    {
        const int topics = 4;
        var model = Fitted(new LdaSettings { Topics = topics }, passes: 5);
        var tight = new LatentDirichletAllocation(Small.Corpus, new LdaSettings { Topics = topics, LocalTolerance = 1e-13, MaxLocalIterations = 100_000 }, new RandomKey(2));
        var natural = new double[model.GlobalDimension];
        model.GetNaturalParameters(natural);
        tight.SetNaturalParameters(natural);
        var statistics = new double[tight.GlobalDimension];
        tight.LocalStep([], allData: true, statistics);

        // Direct: φ_dvk = softmax_k(E[log θ_dk] + E[log β_kv]) in log space at the returned γ; γ_dk should be α + Σ_v n_dv φ_dvk
        // and the statistics Σ_d n_dv φ_dvk.
        int v = tight.VocabularySize;
        var elogBeta = new double[topics * v];
        DirichletCategorical.ExpectedLogProbabilitiesByRow(tight.TopicWordConcentrations, v, elogBeta);
        var direct = new double[topics * v];
        var elogTheta = new double[topics];
        var phi = new double[topics];
        double worstGamma = 0;
        for (int d = 0; d < Small.Corpus.DocumentCount; d++)
        {
            var gamma = tight.DocumentTopicConcentrations.Slice(d * topics, topics);
            DirichletCategorical.ExpectedLogProbabilities(gamma, elogTheta);
            var next = Enumerable.Repeat(tight.Settings.Alpha, topics).ToArray();
            var words = Small.Corpus.DocumentWords(d);
            var counts = Small.Corpus.DocumentCounts(d);
            for (int j = 0; j < words.Length; j++)
            {
                for (int k = 0; k < topics; k++) phi[k] = elogTheta[k] + elogBeta[k * v + words[j]];
                double max = phi.Max(), norm = phi.Sum(p => Math.Exp(p - max));
                for (int k = 0; k < topics; k++)
                {
                    double p = Math.Exp(phi[k] - max) / norm;
                    next[k] += counts[j] * p;
                    direct[k * v + words[j]] += counts[j] * p;
                }
            }
            for (int k = 0; k < topics; k++) worstGamma = Math.Max(worstGamma, Math.Abs(next[k] - gamma[k]) / gamma[k]);
        }
        output.WriteLine($"largest relative change of γ under one more direct update: {worstGamma:G3}");
        Assert.True(worstGamma < 1e-9, $"γ is not a fixed point: relative change {worstGamma:G3}");
        for (int i = 0; i < direct.Length; i++)
            Assert.True(Math.Abs(statistics[i] - direct[i]) <= 1e-10 * (1 + Math.Abs(direct[i])), $"S[{i}] = {statistics[i]:R}, direct {direct[i]:R}");
    }

    [Fact]
    public void ElboAndPerplexityAgreeComputedTwoWays()
    {
        const int topics = 4;
        var model = Fitted(new LdaSettings { Topics = topics }, passes: 8);
        var corpus = Small.Corpus;

        // Way 1: the generic conjugate-model ELBO (⟨E[T], S⟩ + local − KL) after a local step over all the data.
        var statistics = new double[model.GlobalDimension];
        double local = model.LocalStep([], allData: true, statistics);
        double generic = ConjugateElbo.Evaluate(model, statistics, local);
        double direct = DirectElbo(corpus, model.DocumentTopicConcentrations, model.TopicWordConcentrations, topics, model.Settings.Alpha, model.Settings.Eta);
        output.WriteLine($"ELBO: generic {generic:R}, direct {direct:R}");
        Assert.True(Math.Abs(generic - direct) <= 1e-10 * Math.Abs(direct), $"generic {generic:R} vs direct {direct:R}");

        // Way 2: scikit-learn's bound perplexity from a fresh E-step vs exp(−direct ELBO / tokens) at the same γ.
        var fit = model.InferDocuments(corpus);
        double perplexity = model.BoundPerplexity(corpus);
        double directPerplexity = Math.Exp(-DirectElbo(corpus, fit.Concentrations, model.TopicWordConcentrations, topics, model.Settings.Alpha, model.Settings.Eta) / corpus.TotalCount);
        output.WriteLine($"perplexity: model {perplexity:R}, direct {directPerplexity:R}");
        Assert.True(Math.Abs(perplexity - directPerplexity) <= 1e-9 * directPerplexity);

        // The topics' KL in closed form equals the registry's.
        double registry = 0;
        for (int k = 0; k < topics; k++)
            registry += new DirichletCategorical(model.TopicWordConcentrations.Slice(k * model.VocabularySize, model.VocabularySize))
                .KullbackLeiblerTo(DirichletCategorical.Symmetric(model.VocabularySize, model.Settings.Eta));
        Assert.True(Math.Abs(model.GlobalKullbackLeibler() - registry) <= 1e-9 * Math.Abs(registry));
    }

    [Fact]
    public void CoordinateAscentRecoversKnownTopics()
    {
        // 4 topics over 40 words, 300 documents of 60 tokens: about N = 4,500 tokens per topic. A topic estimated from N
        // tokens of known assignment has E‖p̂ − p‖² = (1 − Σp²)/N, so its cosine with p falls short of 1 by about
        // δ = (1 − Σp²) / (2N Σp²). Tokens of uncertain topic add error of the same order; 5δ allows for both.
        const int topics = 4, vocabulary = 40;
        var model = LdaTraining.Fit(Small.Corpus, new LdaSettings { Topics = topics, DocumentTopicPrior = 0.3, TopicWordPrior = 0.2 },
            new LdaTrainingOptions { Passes = 100, Seed = 3 }).Model;
        var fitted = model.TopicWordMeans();
        var cosines = LdaSyntheticCorpus.MatchedCosines(Small.Topics, fitted, topics, vocabulary);
        double tokensPerTopic = Small.Corpus.TotalCount / topics;
        for (int k = 0; k < topics; k++)
        {
            double squares = Enumerable.Range(0, vocabulary).Sum(v => Small.Topics[k * vocabulary + v] * Small.Topics[k * vocabulary + v]);
            double delta = (1 - squares) / (2 * tokensPerTopic * squares);
            output.WriteLine($"topic {k}: cosine {cosines[k]:F5}, shortfall {1 - cosines[k]:G3}, δ = {delta:G3}");
            Assert.True(1 - cosines[k] < 5 * delta, $"topic {k}: cosine {cosines[k]:F5} falls short of 1 by more than 5δ = {5 * delta:G3}");
        }
    }

    [Fact]
    public void StochasticVariationalInferenceReachesTheBatchBound()
    {
        const int topics = 4;
        var settings = new LdaSettings { Topics = topics, DocumentTopicPrior = 0.3, TopicWordPrior = 0.2 };
        var batch = LdaTraining.Fit(Small.Corpus, settings, new LdaTrainingOptions { Passes = 60, Seed = 3 }).Model;
        var online = LdaTraining.Fit(Small.Corpus, settings, new LdaTrainingOptions
        {
            Stochastic = true,
            Passes = 40,
            Seed = 3,
            NaturalGradient = new NaturalGradientSettings { BatchSize = 30, Delay = 10, ForgettingRate = 0.7 },
        }).Model;
        double cavi = ConjugateElbo.AtOptimalLocals(batch), svi = ConjugateElbo.AtOptimalLocals(online);
        double gap = (cavi - svi) / Math.Abs(cavi);
        output.WriteLine($"ELBO at optimal locals: CAVI {cavi:R}, SVI {svi:R}, relative gap {gap:G3}");
        Assert.True(gap < 1e-3, $"SVI's bound {svi:R} is more than 0.1 % below CAVI's {cavi:R}");
    }

    [Fact]
    public void BadSettingsAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LatentDirichletAllocation(Small.Corpus, new LdaSettings { Topics = 0 }, new RandomKey(1)));
        Assert.Contains("Topics", e.Message);
        var b = Assert.Throws<ArgumentOutOfRangeException>(() => LdaTraining.Fit(Small.Corpus, new LdaSettings { Topics = 2 },
            new LdaTrainingOptions { Stochastic = true, NaturalGradient = new NaturalGradientSettings { BatchSize = 301 } }));
        Assert.Contains("301", b.Message);
        Assert.Contains("300", b.Message);
        var a = Assert.Throws<ArgumentOutOfRangeException>(() => new LdaSettings { Topics = 3, DocumentTopicPrior = -1 }.Validate(10));
        Assert.Contains("DocumentTopicPrior", a.Message);
    }
}
