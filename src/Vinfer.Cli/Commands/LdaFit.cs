using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vinfer.Cli.Infrastructure;
using Vinfer.Conjugate;
using Vinfer.Data;
using Vinfer.IO;
using Vinfer.Random;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit lda --data CORPUS --topics K [--method cavi|svi] [--batch-size B]</c>: latent Dirichlet allocation by
/// batch CAVI or online SVI (<see cref="LdaTraining"/>) on a document-term count CSV (doc,word,count) or plain text,
/// one document per line. Prints the fit and the top words; with <c>--out DIR</c> writes DIR/summary.json,
/// DIR/doc_topics.csv (each document's E[θ]) and DIR/topics.md (top words), all or nothing. Every input is checked
/// before anything runs. With <c>--distributed</c> under <c>mpirun -np P</c>, rank r fits on its block
/// <c>RowRange.Share(D, r, P)</c> of the training documents (docs/distributed.md) and rank 0 writes the outputs.
/// </summary>
public static class LdaFit
{
    /// <summary>K.</summary>
    public static readonly Option<int?> Topics = new("--topics") { Description = "lda: number of topics K." };

    /// <summary>counts | text.</summary>
    public static readonly Option<string?> Format = new("--format") { Description = "lda: corpus format, counts (CSV doc,word,count) or text (one document per line); default: counts for .csv, text otherwise." };

    /// <summary>Passes over the corpus.</summary>
    public static readonly Option<int> Passes = new("--passes") { Description = "lda: passes over the corpus (CAVI iterations; SVI steps × batch / documents).", DefaultValueFactory = _ => 10 };

    /// <summary>η.</summary>
    public static readonly Option<double?> Eta = new("--eta") { Description = "lda: Dirichlet prior on topic-word distributions (default 1/K)." };

    /// <summary>τ.</summary>
    public static readonly Option<double> Delay = new("--tau0") { Description = "lda svi: delay τ of the step sizes ρ_t = (t + τ)^(-κ), t = 0, 1, … (default 11 = scikit-learn's learning_offset 10 with its counter from 1).", DefaultValueFactory = _ => 11.0 };

    /// <summary>κ.</summary>
    public static readonly Option<double> Kappa = new("--kappa") { Description = "lda svi: forgetting rate κ in (0.5, 1].", DefaultValueFactory = _ => 0.7 };

    /// <summary>Held-out fraction.</summary>
    public static readonly Option<double> HoldOut = new("--holdout") { Description = "lda: fraction of documents held out (chosen by --seed) for the held-out perplexity; 0: none.", DefaultValueFactory = _ => 0.0 };

    /// <summary>Vocabulary size for text.</summary>
    public static readonly Option<int?> VocabularySize = new("--vocabulary-size") { Description = "lda text: keep only the most frequent words." };

    /// <summary>Minimum document frequency for text.</summary>
    public static readonly Option<int> MinimumDocumentFrequency = new("--min-df") { Description = "lda text: keep words in at least this many documents.", DefaultValueFactory = _ => 1 };

    /// <summary>Keep stop words.</summary>
    public static readonly Option<bool> KeepStopWords = new("--keep-stop-words") { Description = "lda text: do not remove English stop words." };

    /// <summary>Top words per topic.</summary>
    public static readonly Option<int> TopWordCount = new("--top-words") { Description = "lda: words listed per topic.", DefaultValueFactory = _ => 10 };

    /// <summary>Warm-started E-steps.</summary>
    public static readonly Option<bool> WarmStart = new("--warm-start") { Description = "lda: start each document's E-step from its previous γ (monotone CAVI, but prone to poor optima) instead of a uniform γ." };

    /// <summary>E-step threads.</summary>
    public static readonly Option<int?> Threads = new("--threads") { Description = "Worker threads (default: all cores). lda: E-step workers; built-in models: the tensor kernels' thread cap." };

    /// <summary>Adds the lda-specific options to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        foreach (var option in new Option[] { Topics, Format, Passes, Eta, Delay, Kappa, HoldOut, VocabularySize, MinimumDocumentFrequency, KeepStopWords, TopWordCount, WarmStart, Threads })
            fit.Options.Add(option);
    }

    /// <summary>Runs the fit; returns the exit code.</summary>
    public static int Run(ParseResult pr) => DistributedFit.Run(pr, () => CliError.Guard(pr, () => Fit(pr)));

    private static int Fit(ParseResult pr)
    {
        string? path = pr.GetValue(FitCommand.Data);
        if (string.IsNullOrEmpty(path)) return CliError.Report(pr, "--data is required for the lda model.");
        if (pr.GetValue(Topics) is not int topics) return CliError.Report(pr, "--topics is required for the lda model.");
        if (topics < 1) return CliError.Report(pr, $"--topics is {topics}, expected at least 1.");
        string method = pr.GetValue(FitCommand.Method) ?? "cavi";
        if (method is not ("cavi" or "svi")) return CliError.Report(pr, $"--method '{method}' is not one of cavi, svi.");
        string format = pr.GetValue(Format) ?? (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "counts" : "text");
        if (format is not ("counts" or "text")) return CliError.Report(pr, $"--format '{format}' is not one of counts, text.");
        double holdOut = pr.GetValue(HoldOut);
        if (!(holdOut >= 0 && holdOut < 1)) return CliError.Report(pr, $"--holdout is {holdOut}, expected a fraction in [0, 1).");
        int topWords = pr.GetValue(TopWordCount);
        if (topWords < 1) return CliError.Report(pr, $"--top-words is {topWords}, expected at least 1.");
        int? batchSize = pr.GetValue(FitCommand.BatchSize);
        if (batchSize is < 1) return CliError.Report(pr, $"--batch-size is {batchSize}, expected at least 1.");
        if (batchSize is not null && method != "svi") return CliError.Report(pr, "--batch-size applies to --method svi only.");
        ulong seed = pr.GetValue(ModelFit.Seed);

        var corpus = format == "counts"
            ? DocumentTermCsv.ReadFile(path)
            : TextCorpus.ReadFile(path, new TextCorpusOptions
            {
                VocabularySize = pr.GetValue(VocabularySize),
                MinimumDocumentFrequency = pr.GetValue(MinimumDocumentFrequency),
                RemoveStopWords = !pr.GetValue(KeepStopWords),
            });
        var (training, heldOut) = Split(corpus, holdOut, seed);
        var settings = new LdaSettings
        {
            Topics = topics,
            DocumentTopicPrior = pr.GetValue(ObjectiveOptions.Alpha),
            TopicWordPrior = pr.GetValue(Eta),
            Threads = pr.GetValue(Threads) ?? Environment.ProcessorCount,
            WarmStart = pr.GetValue(WarmStart),
        };
        var options = new LdaTrainingOptions
        {
            Stochastic = method == "svi",
            Passes = pr.GetValue(Passes),
            NaturalGradient = new NaturalGradientSettings { BatchSize = batchSize ?? 128, Delay = pr.GetValue(Delay), ForgettingRate = pr.GetValue(Kappa) },
            Seed = seed,
        };
        settings.Validate(training.DocumentCount);
        options.Validate(training.DocumentCount);
        if (options.Stochastic && batchSize > training.DocumentCount)
            return CliError.Report(pr, $"--batch-size {batchSize} is larger than the {training.DocumentCount} training documents.");

        // --distributed: every rank reads the corpus and keeps its block of the training documents; the E-steps run on
        // the blocks, the expected counts are summed (one allreduce per step); the evaluation E-steps too (its sums in
        // one allreduce, the documents' proportions gathered to rank 0); rank 0 writes the outputs
        var share = DistributedFit.JoinForRows(pr, training.DocumentCount, null);
        var own = share is { } rows ? training.Subset(Enumerable.Range(rows.Start, rows.Count).ToArray()) : training;

        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var result = LdaTraining.Fit(own, settings, options, DistributedFit.Communicator);
        double cpuSeconds = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        var model = result.Model;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // distributed: each rank evaluates its own training block and its block of the held-out documents
        var (trainingFit, heldOutFit) = share is { } owned && DistributedFit.Communicator is { } communicator
            ? LdaEvaluation.Distributed(model, own, heldOut, owned, communicator)
            : (model.InferDocuments(training), heldOut is null ? null : model.InferDocuments(heldOut));
        if (!DistributedFit.IsLeader) return 0;
        double boundPerplexity = Math.Exp(-(trainingFit.DocumentBound - model.GlobalKullbackLeibler()) / trainingFit.Tokens);
        double? heldOutPerplexity = heldOutFit is null ? null : Math.Exp(-heldOutFit.DocumentBound / heldOutFit.Tokens);
        double evaluationSeconds = clock.Elapsed.TotalSeconds;

        var top = Enumerable.Range(0, topics).Select(k => model.TopWords(k, Math.Min(topWords, model.VocabularySize))).ToArray();
        var stdout = pr.InvocationConfiguration.Output;
        stdout.WriteLine(FormattableString.Invariant(
            $"lda {method}: K = {topics}, D = {training.DocumentCount} (+{heldOut?.DocumentCount ?? 0} held out), V = {corpus.VocabularySize}, tokens = {training.TotalCount:G}, α = {settings.Alpha:G4}, η = {settings.Eta:G4}"));
        stdout.WriteLine(FormattableString.Invariant(
            $"{result.Run.Steps} steps in {result.Seconds:F3} s; final ELBO estimate {result.Run.ElboTrace[^1]:G10}; bound perplexity (training) {boundPerplexity:F2}{(heldOutPerplexity is double h ? FormattableString.Invariant($"; held-out perplexity {h:F2}") : "")}"));
        for (int k = 0; k < topics; k++)
            stdout.WriteLine($"topic {k,2}: {string.Join(' ', top[k].Select(v => corpus.Vocabulary[v]))}");

        if (pr.GetValue(FitCommand.Output) is string directory)
        {
            var files = new List<(string, string)>
            {
                (Path.Combine(directory, "summary.json"), SummaryJson(method, corpus, training, heldOut, settings, options, result, cpuSeconds, boundPerplexity, heldOutPerplexity, evaluationSeconds, top)),
                (Path.Combine(directory, "doc_topics.csv"), ProportionsCsv(training, trainingFit, heldOut, heldOutFit, topics)),
                (Path.Combine(directory, "topics.md"), TopWordsMarkdown(corpus, top, method, topics)),
            };
            AtomicFile.WriteAll(files);
            stdout.WriteLine($"wrote {string.Join(", ", files.Select(f => f.Item1))}");
        }
        return 0;
    }

    /// <summary>A seeded random fraction of the documents held out (at least one when the fraction is positive).</summary>
    private static (DocumentTermCounts Training, DocumentTermCounts? HeldOut) Split(DocumentTermCounts corpus, double fraction, ulong seed)
    {
        if (fraction == 0) return (corpus, null);
        int d = corpus.DocumentCount;
        int held = Math.Max(1, (int)Math.Round(fraction * d));
        if (held >= d) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"--holdout {fraction} leaves no training document out of {d}.");
        var keys = new double[d];
        Sample.Uniform(new RandomKey(seed).Child(1), keys);
        var order = Enumerable.Range(0, d).OrderBy(i => keys[i]).ToArray();
        var heldOut = order.Take(held).Order().ToArray();
        var training = order.Skip(held).Order().ToArray();
        return (corpus.Subset(training), corpus.Subset(heldOut));
    }

    private static string SummaryJson(string method, DocumentTermCounts corpus, DocumentTermCounts training, DocumentTermCounts? heldOut,
        LdaSettings settings, LdaTrainingOptions options, LdaTrainingResult result, double cpuSeconds, double boundPerplexity, double? heldOutPerplexity,
        double evaluationSeconds, int[][] top)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var model = result.Model;
            var run = result.Run;
            double tokens = training.TotalCount;
            w.WriteStartObject();
            w.WriteString("model", "lda");
            w.WriteString("method", method);
            w.WriteNumber("topics", settings.Topics);
            w.WriteNumber("documents", training.DocumentCount);
            w.WriteNumber("held_out_documents", heldOut?.DocumentCount ?? 0);
            w.WriteNumber("vocabulary", corpus.VocabularySize);
            w.WriteNumber("tokens", tokens);
            w.WriteNumber("alpha", settings.Alpha);
            w.WriteNumber("eta", settings.Eta);
            w.WriteNumber("passes", options.Passes);
            if (options.Stochastic)
            {
                w.WriteNumber("batch_size", options.NaturalGradient.BatchSize);
                w.WriteNumber("tau0", options.NaturalGradient.Delay);
                w.WriteNumber("kappa", options.NaturalGradient.ForgettingRate);
            }
            w.WriteNumber("local_tolerance", settings.LocalTolerance);
            w.WriteNumber("max_local_iterations", settings.MaxLocalIterations);
            w.WriteBoolean("warm_start", settings.WarmStart);
            w.WriteNumber("threads", settings.Threads);
            w.WriteNumber("seed", options.Seed);
            w.WriteNumber("iterations", run.Steps);
            w.WriteBoolean("converged", run.Converged);
            w.WriteNumber("seconds", result.Seconds);
            w.WriteNumber("cpu_seconds", cpuSeconds);
            w.WriteNumber("seconds_per_iteration", result.Seconds / Math.Max(1, run.Steps));
            w.WriteNumber("seconds_per_pass", result.Seconds / options.Passes);
            w.WriteNumber("evaluation_seconds", evaluationSeconds);
            w.WriteString("elbo_trace_kind", options.Stochastic ? "unbiased minibatch estimate of the ELBO at each step's starting q(beta)" : "closed-form ELBO after each pass");
            w.WriteStartArray("elbo_trace");
            foreach (double e in run.ElboTrace) w.WriteNumberValue(e);
            w.WriteEndArray();
            w.WriteStartArray("perplexity_trace");
            foreach (double e in run.ElboTrace) w.WriteNumberValue(Math.Exp(-e / tokens));
            w.WriteEndArray();
            w.WriteNumber("bound_perplexity", boundPerplexity);
            if (heldOutPerplexity is double h) w.WriteNumber("held_out_perplexity", h);
            else w.WriteNull("held_out_perplexity");
            w.WriteStartArray("topics_top_words");
            for (int k = 0; k < top.Length; k++)
            {
                w.WriteStartObject();
                w.WriteNumber("topic", k);
                var means = model.TopicWordMeans().AsSpan(k * model.VocabularySize, model.VocabularySize);
                w.WriteStartArray("words");
                foreach (int v in top[k]) w.WriteStringValue(corpus.Vocabulary[v]);
                w.WriteEndArray();
                w.WriteStartArray("probabilities");
                foreach (int v in top[k]) w.WriteNumberValue(means[v]);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>doc,split,topic_0..topic_{K−1}: each document's E[θ_d] from a fresh E-step under the final topics.</summary>
    private static string ProportionsCsv(DocumentTermCounts training, DocumentTopicFit trainingFit, DocumentTermCounts? heldOut, DocumentTopicFit? heldOutFit, int topics)
    {
        var b = new StringBuilder();
        b.Append("doc,split");
        for (int k = 0; k < topics; k++) b.Append(CultureInfo.InvariantCulture, $",topic_{k}");
        b.Append('\n');
        void Rows(DocumentTermCounts documents, DocumentTopicFit fit, string split)
        {
            for (int d = 0; d < documents.DocumentCount; d++)
            {
                b.Append(Quote(documents.Documents[d])).Append(',').Append(split);
                foreach (double p in fit.Proportions(d)) b.Append(',').Append(p.ToString("R", CultureInfo.InvariantCulture));
                b.Append('\n');
            }
        }
        Rows(training, trainingFit, "train");
        if (heldOut is not null && heldOutFit is not null) Rows(heldOut, heldOutFit, "heldout");
        return b.ToString();
    }

    /// <summary>A Markdown table: one row per topic with its top words.</summary>
    private static string TopWordsMarkdown(DocumentTermCounts corpus, int[][] top, string method, int topics)
    {
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"# LDA topics ({method}, K = {topics})\n\n| topic | top words |\n|---:|---|\n");
        for (int k = 0; k < top.Length; k++)
            b.Append(CultureInfo.InvariantCulture, $"| {k} | {string.Join(", ", top[k].Select(v => corpus.Vocabulary[v].Replace("|", "\\|", StringComparison.Ordinal)))} |\n");
        return b.ToString();
    }

    private static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
