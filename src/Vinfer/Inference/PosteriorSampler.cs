using Vinfer.Tensors;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;

using Vinfer.Guides;
using Vinfer.Distributions;
using Vinfer.Modeling.Handlers;

namespace Vinfer.Inference;

/// <summary>
/// Draws from a guide with the model replayed on each draw, in vectorized chunks: the latent and deterministic
/// sites' values on the constrained scale, and log p(x, z), log q(z) for PSIS.
/// <para>
/// A draw the model cannot score is kept: a draw of q is a draw of q. When a draw's transform to the constrained space
/// overflows (exp of an unconstrained value above 709 is ∞) the model's distribution rejects the infinite parameter
/// (<see cref="NonFiniteParameterException"/>); that chunk is then replayed draw by draw, and each draw the model still
/// rejects keeps its guide values (±∞ where they overflowed) and log q, gets log p = −∞ (the model puts no density at
/// an infinite parameter, so its importance weight p/q is 0 for PSIS and importance resampling), NaN for the model's
/// deterministic sites, and is counted in <see cref="PosteriorDraws.Unscored"/>. A finite invalid parameter (a wrong
/// model) is still an error.
/// </para>
/// </summary>
public static class PosteriorSampler
{
    /// <summary>The fewest draws per vectorized pass (that of a model with many values per draw; bounds the memory of the model's batched intermediates).</summary>
    public const int ChunkSize = 64;

    /// <summary>
    /// <paramref name="draws"/> draws. <paramref name="prototype"/> names the sites and gives their per-draw shapes;
    /// parameters come from <paramref name="store"/>.
    /// </summary>
    public static PosteriorDraws Draw(Action model, Action guide, ModelPrototype prototype, ParamStore store, int draws, RandomStream random)
        => Draw(model, guide, prototype, store, draws, random, ChunkSize);

    /// <summary>Values a chunk's sites may hold in all (<see cref="ChunkFor"/>): 64 draws of a 1,000-value model.</summary>
    public const int ChunkElementBudget = 64_000;

    /// <summary>The most draws per vectorized pass.</summary>
    public const int MaximumChunkSize = 1024;

    /// <summary>
    /// Draws per pass for <paramref name="prototype"/> where many draws are wanted at once (the PSIS top-up of
    /// <see cref="VariationalFit.Fit"/>; the other callers keep <see cref="ChunkSize"/>, whose passes fix which random
    /// numbers each draw gets, so their draws stay those of earlier versions): as many as keep the chunk's sampled and deterministic site values within
    /// <see cref="ChunkElementBudget"/>, between <see cref="ChunkSize"/> and <see cref="MaximumChunkSize"/>. A pass costs
    /// a fixed overhead per op and per site (the handlers, the tensors' allocation) plus its arithmetic: on a model as
    /// small as eight schools (26 values a draw) 64-draw passes are mostly overhead: 3,000 draws of its full-rank guide took
    /// 16–28 ms in 64-draw passes and 12–13 ms in 1,024-draw ones (warm, load 10); a model with many values per draw (a logistic regression's 10,000 observations) keeps
    /// 64-draw passes, so its memory stays bounded as before.
    /// </summary>
    public static int ChunkFor(ModelPrototype prototype)
    {
        ArgumentNullException.ThrowIfNull(prototype);
        long values = 0;
        foreach (var site in prototype.Trace.Sites)
        {
            // a factor (an observed point mass, Primitives.Factor) hides the data it sums over, as the GLM regressions'
            // likelihood over 10,000 rows: its model keeps the smallest passes
            if (site is { Kind: SiteKind.Sample, IsObserved: true, Distribution: Distributions.Delta }) return ChunkSize;
            if (site.Kind is SiteKind.Sample or SiteKind.Deterministic) values += site.Value?.Count ?? 0;
        }
        return (int)Math.Clamp(ChunkElementBudget / Math.Max(values, 1), ChunkSize, MaximumChunkSize);
    }

    /// <summary>
    /// As <see cref="Draw(Action, Action, ModelPrototype, ParamStore, int, RandomStream)"/>, <paramref name="chunkSize"/>
    /// draws per pass (a particle guide needs all its particles in one pass: chunk = draws = particles).
    /// </summary>
    public static PosteriorDraws Draw(Action model, Action guide, ModelPrototype prototype, ParamStore store, int draws, RandomStream random, int chunkSize)
    {
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), $"PosteriorSampler: the chunk size must be at least 1, got {chunkSize}.");
        if (draws < 1) throw new ArgumentOutOfRangeException(nameof(draws), $"PosteriorSampler: draws must be at least 1, got {draws}.");
        var columns = new List<(string Site, int Count, bool Deterministic)>();
        var names = new List<string>();
        foreach (var l in prototype.Latents)
        {
            columns.Add((l.Name, l.Count, false));
            names.AddRange(StanNames.Expand(l.Name, l.Shape));
        }
        foreach (var s in prototype.Trace.Sites)
        {
            if (s.Kind != SiteKind.Deterministic) continue;
            columns.Add((s.Name, s.Value!.Count, true));
            names.AddRange(StanNames.Expand(s.Name, s.Value!.Shape));
        }
        int width = names.Count;
        var values = new double[draws * width];
        var logP = new double[draws];
        var logQ = new double[draws];
        using var _ = store.Use();
        using var __ = GradMode.Disable();
        int dim = -(prototype.MaxPlateNesting + 1), unscored = 0;
        for (int start = 0; start < draws; start += chunkSize)
        {
            int n = Math.Min(chunkSize, draws - start);
            using var scope = new TensorScope();
            // the order of ParticleLogWeights.Compute (guide, then model, one stream), so draws are unchanged when none overflows
            var guideTrace = ParticleLogWeights.RunVectorized(guide, n, dim, random, null);
            guideTrace.LogProbPerParticle(n, dim).Span.CopyTo(logQ.AsSpan(start, n));
            var rows = values.AsSpan(start * width);
            Trace? modelTrace;
            try
            {
                modelTrace = ParticleLogWeights.RunVectorized(model, n, dim, random, guideTrace);
                modelTrace.LogProbPerParticle(n, dim).Span.CopyTo(logP.AsSpan(start, n));
            }
            catch (NonFiniteParameterException)
            {
                modelTrace = null;
                unscored += ScoreOneByOne(model, guideTrace, n, dim, random, columns, rows, width, logP.AsSpan(start, n));
            }
            int offset = 0;
            foreach (var (site, count, deterministic) in columns)
            {
                if (!deterministic) CopyPerDraw(guideTrace[site].Value!, n, count, site, rows, width, offset);
                else if (modelTrace is not null) CopyPerDraw(modelTrace[site].Value!, n, count, site, rows, width, offset);
                offset += count;
            }
        }
        return new PosteriorDraws(names.ToArray(), values, logP, logQ) { Unscored = unscored };
    }

    /// <summary>
    /// The model replayed on each of a chunk's <paramref name="n"/> guide draws alone: fills log p and the deterministic
    /// columns; a draw the model rejects for a non-finite parameter gets log p = −∞ and NaN deterministic values.
    /// Returns the number of such draws.
    /// </summary>
    private static int ScoreOneByOne(Action model, Trace guideTrace, int n, int dim, RandomStream random,
        List<(string Site, int Count, bool Deterministic)> columns, Span<double> rows, int width, Span<double> logP)
    {
        int rejected = 0;
        for (int i = 0; i < n; i++)
        {
            var one = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            foreach (var s in guideTrace.SampleSites)
                if (!s.IsObserved) one[s.Name] = DrawOf(s, i, n, dim);
            Trace? trace;
            try
            {
                using (new SubstituteMessenger(one).Enter()) trace = ParticleLogWeights.RunVectorized(model, 1, dim, random, null);
                logP[i] = trace.LogProbPerParticle(1, dim).Item();
            }
            catch (NonFiniteParameterException)
            {
                trace = null;
                logP[i] = double.NegativeInfinity;
                rejected++;
            }
            int offset = 0;
            foreach (var (site, count, deterministic) in columns)
            {
                if (deterministic)
                {
                    if (trace is null) rows.Slice(i * width + offset, count).Fill(double.NaN);
                    else CopyPerDraw(trace[site].Value!, 1, count, site, rows.Slice(i * width), width, offset);
                }
                offset += count;
            }
        }
        return rejected;
    }

    /// <summary>Draw <paramref name="i"/> of a site's value in a chunk of <paramref name="n"/>, keeping the particle dimension (size 1).</summary>
    private static Tensor DrawOf(Site site, int i, int n, int particleDim)
    {
        var v = site.Value!;
        int axis = v.Rank - site.Distribution!.EventShape.Length + particleDim;
        // a value without the particle dimension (or broadcast along it) is the same for every draw
        return axis >= 0 && v.Dim(axis) == n ? v.Narrow(axis, i, 1) : v;
    }

    private static void CopyPerDraw(Tensor v, int n, int count, string site, Span<double> rows, int width, int offset)
    {
        var s = v.Span;
        if (s.Length == n * count)
        {
            for (int i = 0; i < n; i++) s.Slice(i * count, count).CopyTo(rows.Slice(i * width + offset, count));
        }
        else if (s.Length == count)
        {
            // A value that does not depend on the draw (a deterministic site of data only).
            for (int i = 0; i < n; i++) s.CopyTo(rows.Slice(i * width + offset, count));
        }
        else throw new InvalidOperationException($"Site '{site}': {s.Length} values for {n} draws of {count} entries each.");
    }
}
