using System.Numerics.Tensors;
using Vinfer.Data;
using Vinfer.Distributed;
using Vinfer.Random;

namespace Vinfer.Conjugate;

/// <summary>
/// Latent Dirichlet allocation (Blei, Ng and Jordan, JMLR 2003) as a conditionally conjugate model for
/// <see cref="CoordinateAscent"/> (batch variational Bayes) and <see cref="StochasticVariationalInference"/> (online
/// variational Bayes; Hoffman, Blei and Bach, NIPS 2010). Globals: K topics β_k ~ Dir(η) over V words, with
/// q(β_k) = Dir(λ_k); natural parameters λ − 1, topic-major (K rows of V), and E[T(β)] = E[log β] in the same layout.
/// Locals: each document's proportions θ_d ~ Dir(α) with q(θ_d) = Dir(γ_d) and word topics z with q(z) = φ, optimized
/// per document by <see cref="DocumentTopicInference"/> (to convergence). The expected sufficient statistics of a set of
/// documents are S_kv = Σ_d n_dv φ_dvk, so λ = η + S at the optimum; the local part of the ELBO is
/// Σ_d [Σ_v n_dv log Σ_k exp(E[log θ_dk] + E[log β_kv]) − KL(q(θ_d) ‖ p(θ_d))] − ⟨E[log β], S⟩ (φ optimal for γ).
/// The E-step splits the documents between <see cref="LdaSettings.Threads"/> workers, each with its own word-major
/// accumulator. Held-out perplexity and scikit-learn's bound-based perplexity come from a fresh E-step
/// (<see cref="InferDocuments"/>). Data-parallel (with an <see cref="ICommunicator"/> of several processes): each process
/// holds a contiguous block of the documents, runs the E-step on its own, and one allreduce per local step sums the K×V
/// expected counts and the documents' ELBO terms, so every process holds the same q(β) (Hoffman et al. 2010's
/// statistics are sums over documents, so the split changes only the order of the additions).
/// </summary>
public sealed class LatentDirichletAllocation : IConjugateModel
{
    private readonly DocumentTermCounts _corpus;
    private readonly LdaSettings _settings;
    private readonly int _topics;
    private readonly int _vocabulary;
    private readonly double _alpha;
    private readonly double _eta;
    private readonly double[] _lambda;
    private readonly double[] _expectedLogBeta;
    private readonly double[] _expTopicWord;
    private readonly double[] _wordShift;
    private readonly double[] _scratch;
    private readonly double[] _gamma;
    private readonly int[] _allDocuments;
    private readonly double[][] _accumulators;
    private bool _expectationsValid;
    private double _globalKullbackLeibler = double.NaN;

    /// <summary>LDA on <paramref name="corpus"/> with q(β) initialized as scikit-learn does: λ_kv ~ Gamma(100, 1/100) drawn from <paramref name="initialization"/>.</summary>
    public LatentDirichletAllocation(DocumentTermCounts corpus, LdaSettings settings, RandomKey initialization)
        : this(corpus, settings, initialization, null)
    {
    }

    /// <summary>
    /// One process's share of a data-parallel LDA: <paramref name="corpus"/> holds this process's block of documents
    /// (process r's block follows those of processes 0 … r − 1 in the global document order), every process draws the
    /// same initial λ from <paramref name="initialization"/>, and each local step's expected counts and document terms
    /// are summed over <paramref name="communicator"/>'s processes (one allreduce of K·V + 1 numbers).
    /// </summary>
    public LatentDirichletAllocation(DocumentTermCounts corpus, LdaSettings settings, RandomKey initialization, ICommunicator? communicator)
    {
        _corpus = corpus ?? throw new ArgumentNullException(nameof(corpus));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        settings.Validate(corpus.DocumentCount);
        Communicator = communicator is { Size: > 1 } ? communicator : null;
        long total = corpus.DocumentCount;
        if (Communicator is not null)
        {
            // every process's document count and vocabulary size, to place this block and check the blocks agree
            int size = Communicator.Size;
            var counts = new double[2 * size];
            counts[Communicator.Rank] = corpus.DocumentCount;
            counts[size + Communicator.Rank] = corpus.VocabularySize;
            Communicator.AllreduceSum(counts);
            total = 0;
            for (int r = 0; r < size; r++)
            {
                if (r == Communicator.Rank) RowOffset = (int)total;
                total += (long)counts[r];
                if (counts[size + r] != corpus.VocabularySize)
                    throw new ArgumentException($"process {r} has a vocabulary of {counts[size + r]} words, process {Communicator.Rank} {corpus.VocabularySize}; every process needs the same vocabulary.", nameof(corpus));
            }
        }
        TotalCount = checked((int)total);
        _topics = settings.Topics;
        _vocabulary = corpus.VocabularySize;
        _alpha = settings.Alpha;
        _eta = settings.Eta;
        _lambda = new double[_topics * _vocabulary];
        Sample.Gamma(initialization, 100.0, 100.0, _lambda);
        _expectedLogBeta = new double[_lambda.Length];
        _expTopicWord = new double[_lambda.Length];
        _wordShift = new double[_vocabulary];
        _scratch = new double[_lambda.Length];
        _gamma = new double[corpus.DocumentCount * _topics];
        Array.Fill(_gamma, 1.0);
        _allDocuments = Enumerable.Range(0, corpus.DocumentCount).ToArray();
        _accumulators = new double[settings.Threads][];
    }

    /// <summary>The training corpus (this process's block of it in a data-parallel fit).</summary>
    public DocumentTermCounts Corpus => _corpus;

    /// <summary>The settings.</summary>
    public LdaSettings Settings => _settings;

    /// <summary>The processes of a data-parallel fit (null for a single process).</summary>
    public ICommunicator? Communicator { get; }

    /// <summary>The number of documents over all processes (<see cref="DataCount"/> on a single process).</summary>
    public int TotalCount { get; }

    /// <summary>The global index of this process's first document (0 on a single process).</summary>
    public int RowOffset { get; }

    /// <summary>K.</summary>
    public int Topics => _topics;

    /// <summary>V.</summary>
    public int VocabularySize => _vocabulary;

    /// <summary>λ, the topics' Dirichlet concentrations (K rows of V).</summary>
    public ReadOnlySpan<double> TopicWordConcentrations => _lambda;

    /// <summary>γ of every training document of this process after its last E-step (<see cref="DataCount"/> rows of K).</summary>
    public ReadOnlySpan<double> DocumentTopicConcentrations => _gamma;

    /// <summary>The number of E-step sweeps summed over the documents of the last local step.</summary>
    public long LastLocalSweeps { get; private set; }

    /// <inheritdoc />
    public string Name => $"LDA (K = {_topics}, V = {_vocabulary}, D = {TotalCount})";

    /// <inheritdoc />
    public int DataCount => _corpus.DocumentCount;

    /// <inheritdoc />
    public int GlobalDimension => _lambda.Length;

    /// <inheritdoc />
    public void PriorNaturalParameters(Span<double> destination) => destination[.._lambda.Length].Fill(_eta - 1);

    /// <inheritdoc />
    public void GetNaturalParameters(Span<double> destination) => TensorPrimitives.Subtract(_lambda, 1.0, destination);

    /// <inheritdoc />
    public void SetNaturalParameters(ReadOnlySpan<double> naturalParameters)
    {
        if (naturalParameters.Length != _lambda.Length)
            throw new ArgumentException($"{naturalParameters.Length} natural parameters, expected K·V = {_lambda.Length}.", nameof(naturalParameters));
        TensorPrimitives.Add(naturalParameters, 1.0, _lambda);
        _expectationsValid = false;
        _globalKullbackLeibler = double.NaN;
    }

    /// <inheritdoc />
    public void ExpectedGlobalStatistics(Span<double> destination)
    {
        EnsureExpectations();
        _expectedLogBeta.CopyTo(destination);
    }

    /// <summary>Σ_k KL(Dir(λ_k) ‖ Dir(η)) = Σ_k [⟨λ_k − η, E[log β_k]⟩ − log B(λ_k) + log B(η)], log Γ vectorized.</summary>
    public double GlobalKullbackLeibler()
    {
        if (!double.IsNaN(_globalKullbackLeibler)) return _globalKullbackLeibler;
        EnsureExpectations();
        double priorLogBeta = _vocabulary * GammaFunctionSpans.LogGamma(_eta) - GammaFunctionSpans.LogGamma(_vocabulary * _eta);
        var perTopic = new double[_topics];
        Parallel.For(0, _topics, new ParallelOptions { MaxDegreeOfParallelism = _settings.Threads }, k =>
        {
            var lambda = _lambda.AsSpan(k * _vocabulary, _vocabulary);
            var expected = _expectedLogBeta.AsSpan(k * _vocabulary, _vocabulary);
            var logGamma = _scratch.AsSpan(k * _vocabulary, _vocabulary);
            GammaFunctionSpans.LogGamma(lambda, logGamma);
            double logBeta = TensorPrimitives.Sum(logGamma) - GammaFunctionSpans.LogGamma(TensorPrimitives.Sum(lambda));
            perTopic[k] = TensorPrimitives.Dot(lambda, expected) - _eta * TensorPrimitives.Sum(expected) - logBeta + priorLogBeta;
        });
        double kl = perTopic.Sum();
        return _globalKullbackLeibler = kl;
    }

    /// <inheritdoc />
    public double LocalStep(ReadOnlySpan<int> indices, bool allData, Span<double> statistics)
    {
        if (statistics.Length != _lambda.Length)
            throw new ArgumentException($"statistics has {statistics.Length} entries, expected K·V = {_lambda.Length}.", nameof(statistics));
        EnsureExpectations();
        int[] documents;
        if (allData) documents = _allDocuments;
        else if (Communicator is null) documents = indices.ToArray();
        else
        {
            // a minibatch holds global indices (SVI draws them from all TotalCount documents): keep this process's, made local
            var kept = new List<int>();
            foreach (int i in indices)
                if (i >= RowOffset && i < RowOffset + DataCount) kept.Add(i - RowOffset);
            documents = kept.ToArray();
        }
        double start = _settings.WarmStart ? double.NaN : 1.0;
        double bound = 0;
        statistics.Clear();
        if (documents.Length > 0)
        {
            (bound, long sweeps) = RunEStep(_corpus, documents, _gamma, start, accumulate: true);
            LastLocalSweeps = sweeps;
            int workers = WorkerCount(documents.Length);
            for (int t = 0; t < workers; t++)
            {
                var accumulator = _accumulators[t];
                for (int v = 0; v < _vocabulary; v++)
                    for (int k = 0; k < _topics; k++)
                        statistics[k * _vocabulary + v] += accumulator[v * _topics + k];
            }
            for (int v = 0; v < _vocabulary; v++)
                for (int k = 0; k < _topics; k++)
                    statistics[k * _vocabulary + v] *= _expTopicWord[v * _topics + k];
        }
        else LastLocalSweeps = 0;
        if (Communicator is not null)
        {
            // one allreduce per local step: every process's Σ_d n_dv φ_dvk and its documents' ELBO terms, summed
            var sums = new double[_lambda.Length + 1];
            statistics.CopyTo(sums);
            sums[^1] = bound;
            Communicator.AllreduceSum(sums);
            sums.AsSpan(0, _lambda.Length).CopyTo(statistics);
            bound = sums[^1];
        }
        return bound - ExponentialFamily.Dot(_expectedLogBeta, statistics);
    }

    /// <summary>
    /// A fresh E-step (γ from 1, as scikit-learn's transform) for <paramref name="documents"/> over this model's
    /// vocabulary under the current q(β): their γ (D rows of K) and Σ_d of their ELBO terms
    /// Σ_v n_dv log Σ_k exp(E[log θ_dk] + E[log β_kv]) − KL(q(θ_d) ‖ p(θ_d)). Leaves the model unchanged.
    /// </summary>
    public DocumentTopicFit InferDocuments(DocumentTermCounts documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.VocabularySize != _vocabulary)
            throw new ArgumentException($"the documents have a vocabulary of {documents.VocabularySize} words, the model {_vocabulary}.", nameof(documents));
        EnsureExpectations();
        var gamma = new double[documents.DocumentCount * _topics];
        var (bound, sweeps) = RunEStep(documents, Enumerable.Range(0, documents.DocumentCount).ToArray(), gamma, 1.0, accumulate: false);
        return new DocumentTopicFit(gamma, _topics, bound, documents.TotalCount, sweeps);
    }

    /// <summary>
    /// scikit-learn's perplexity of <paramref name="documents"/>: exp(−(document terms − Σ_k KL(q(β_k) ‖ p(β_k))) / tokens),
    /// the bound of <c>LatentDirichletAllocation.perplexity</c> after a fresh E-step. On the training corpus it is the
    /// exponentiated negative ELBO per token.
    /// </summary>
    public double BoundPerplexity(DocumentTermCounts documents)
    {
        var fit = InferDocuments(documents);
        return Math.Exp(-(fit.DocumentBound - GlobalKullbackLeibler()) / fit.Tokens);
    }

    /// <summary>
    /// Held-out perplexity of documents not used in training (Hoffman et al. 2010, §4): exp(−Σ_d ELBO_d / tokens) with
    /// each document's bound on log p(w_d | E-step, q(β)) from a fresh E-step; the topics' KL is not charged to them.
    /// </summary>
    public double HeldOutPerplexity(DocumentTermCounts documents)
    {
        var fit = InferDocuments(documents);
        return Math.Exp(-fit.DocumentBound / fit.Tokens);
    }

    /// <summary>E[β_k] = λ_k / Σ_v λ_kv (K rows of V).</summary>
    public double[] TopicWordMeans()
    {
        var means = _lambda.ToArray();
        for (int k = 0; k < _topics; k++)
        {
            var row = means.AsSpan(k * _vocabulary, _vocabulary);
            TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
        }
        return means;
    }

    /// <summary>The <paramref name="count"/> most probable words of topic <paramref name="topic"/> under E[β], best first (ties by index).</summary>
    public int[] TopWords(int topic, int count)
    {
        if ((uint)topic >= (uint)_topics) throw new ArgumentOutOfRangeException(nameof(topic), topic, $"the model has {_topics} topics.");
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "must be at least 1.");
        var row = _lambda.AsSpan(topic * _vocabulary, _vocabulary).ToArray();
        return Enumerable.Range(0, _vocabulary).OrderByDescending(v => row[v]).ThenBy(v => v).Take(count).ToArray();
    }

    private int WorkerCount(int documents) => Math.Max(1, Math.Min(_settings.Threads, documents / 16));

    /// <summary>
    /// The E-step over <paramref name="documents"/>, γ rows in <paramref name="gamma"/> (indexed by document) started from
    /// <paramref name="start"/> (NaN: from what they hold); with <paramref name="accumulate"/>, each worker's
    /// Σ n_dv a_k / (a·b_v) lands in its word-major accumulator. Returns Σ_d of the document terms and the sweeps.
    /// </summary>
    private (double Bound, long Sweeps) RunEStep(DocumentTermCounts corpus, int[] documents, double[] gamma, double start, bool accumulate)
    {
        int workers = WorkerCount(documents.Length);
        var bounds = new double[workers];
        var sweeps = new long[workers];
        double priorLogBeta = _topics * GammaFunctionSpans.LogGamma(_alpha) - GammaFunctionSpans.LogGamma(_topics * _alpha);
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, t =>
        {
            int from = (int)((long)documents.Length * t / workers), to = (int)((long)documents.Length * (t + 1) / workers);
            double[]? accumulator = null;
            if (accumulate)
            {
                accumulator = _accumulators[t] ??= new double[_lambda.Length];
                Array.Clear(accumulator);
            }
            var expProportions = new double[_topics];
            var work = new double[_topics];
            var normalizers = new double[Math.Max(1, MaxDocumentLength(corpus, documents, from, to))];
            double bound = 0;
            long count = 0;
            for (int i = from; i < to; i++)
            {
                int d = documents[i];
                var g = gamma.AsSpan(d * _topics, _topics);
                if (!double.IsNaN(start)) g.Fill(start);
                var words = corpus.DocumentWords(d);
                var counts = corpus.DocumentCounts(d);
                count += DocumentTopicInference.Infer(words, counts, _expTopicWord, _alpha, g, expProportions, normalizers, work,
                    _settings.LocalTolerance, _settings.MaxLocalIterations, out double shift);
                double tokens = 0, logNormalizers = 0;
                for (int j = 0; j < words.Length; j++)
                {
                    double n = counts[j];
                    tokens += n;
                    logNormalizers += n * (Math.Log(normalizers[j]) + _wordShift[words[j]]);
                    if (accumulator is not null)
                        TensorPrimitives.MultiplyAdd(expProportions, n / normalizers[j], accumulator.AsSpan(words[j] * _topics, _topics), accumulator.AsSpan(words[j] * _topics, _topics));
                }
                bound += logNormalizers + tokens * shift - DocumentKullbackLeibler(g, expProportions, shift, work, priorLogBeta);
            }
            bounds[t] = bound;
            sweeps[t] = count;
        });
        return (bounds.Sum(), sweeps.Sum());
    }

    /// <summary>
    /// KL(Dir(γ) ‖ Dir(α)) = ⟨γ − α, E[log θ]⟩ − log B(γ) + log B(α), with E[log θ] = log a + m from the E-step.
    /// </summary>
    private double DocumentKullbackLeibler(ReadOnlySpan<double> gamma, ReadOnlySpan<double> expProportions, double shift, Span<double> work, double priorLogBeta)
    {
        GammaFunctionSpans.LogGamma(gamma, work);
        double logBeta = TensorPrimitives.Sum(work[..gamma.Length]) - GammaFunctionSpans.LogGamma(TensorPrimitives.Sum(gamma));
        double dot = 0;
        for (int k = 0; k < gamma.Length; k++) dot += (gamma[k] - _alpha) * (Math.Log(expProportions[k]) + shift);
        return dot - logBeta + priorLogBeta;
    }

    private static int MaxDocumentLength(DocumentTermCounts corpus, int[] documents, int from, int to)
    {
        var offsets = corpus.Offsets;
        int max = 0;
        for (int i = from; i < to; i++) max = Math.Max(max, offsets[documents[i] + 1] - offsets[documents[i]]);
        return max;
    }

    /// <summary>E[log β] (topic-major) and its word-major shifted exponentials exp(E[log β_kv] − max_k E[log β_kv]).</summary>
    private void EnsureExpectations()
    {
        if (_expectationsValid) return;
        // Topic rows in parallel (digamma dominates), then the word-major shifted exponentials in blocks of words.
        Parallel.For(0, _topics, new ParallelOptions { MaxDegreeOfParallelism = _settings.Threads }, k =>
            DirichletCategorical.ExpectedLogProbabilities(_lambda.AsSpan(k * _vocabulary, _vocabulary), _expectedLogBeta.AsSpan(k * _vocabulary, _vocabulary)));
        _wordShift.AsSpan().Fill(double.NegativeInfinity);
        for (int k = 0; k < _topics; k++) TensorPrimitives.Max(_wordShift, _expectedLogBeta.AsSpan(k * _vocabulary, _vocabulary), _wordShift);
        int blocks = Math.Max(1, _settings.Threads);
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
        {
            int from = _vocabulary * b / blocks, to = _vocabulary * (b + 1) / blocks;
            for (int k = 0; k < _topics; k++)
            {
                var row = _expectedLogBeta.AsSpan(k * _vocabulary, _vocabulary);
                for (int v = from; v < to; v++) _expTopicWord[v * _topics + k] = row[v] - _wordShift[v];
            }
            var block = _expTopicWord.AsSpan(from * _topics, (to - from) * _topics);
            TensorPrimitives.Exp(block, block);
        });
        _expectationsValid = true;
    }
}
