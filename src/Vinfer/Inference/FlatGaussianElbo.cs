using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Inference;

/// <summary>
/// The ELBO of <see cref="Elbo"/> (reparameterized or sticking-the-landing, Roeder et al. 2017) for ADVI's Gaussian
/// guides (<see cref="AutoNormal"/>, <see cref="AutoMultivariateNormal"/>, <see cref="AutoLowRankMultivariateNormal"/>;
/// Kucukelbir et al., JMLR 2017), evaluated without running the guide program under the effect handlers. The guide's
/// distribution is built straight from its parameters, its S particles are drawn from the same random stream in the
/// same order and shapes as the guide's sample sites would draw them, each site's block goes through its bijector
/// (log q gets −log|det J|), and only the model runs under handlers (seed, substitute, trace, particle plate), on those
/// values. The draws, log p, log q and the loss are those of the general path to rounding (its tests hold them to
/// 1e-12); what is saved is the guide's two handler runs per step (one to draw, one to re-score with detached
/// parameters for sticking the landing), most of a small model's step.
/// <para>
/// The path is checked on every evaluation: when the model's latent sites are not exactly the guide's (a site
/// appears, disappears or takes a value it was not given — its structure changed since the guide was built), the
/// evaluation is redone on the general path from the same random stream position and every later one stays there
/// (<see cref="UsesGeneralPath"/>).
/// </para>
/// </summary>
public sealed class FlatGaussianElbo : IObjective
{
    private readonly Elbo _general;
    private readonly AutoGuide _guide;

    private FlatGaussianElbo(Elbo general, AutoGuide guide)
    {
        _general = general;
        _guide = guide;
    }

    /// <summary>
    /// <paramref name="elbo"/> evaluated by this path when it applies to <paramref name="guide"/> (one of the Gaussian
    /// autoguides, a pathwise-gradient estimator, no latent site in a subsampled plate), else <paramref name="elbo"/> itself.
    /// </summary>
    public static IObjective Wrap(Elbo elbo, AutoGuide guide)
    {
        ArgumentNullException.ThrowIfNull(elbo);
        ArgumentNullException.ThrowIfNull(guide);
        return Applies(elbo, guide) ? new FlatGaussianElbo(elbo, guide) : elbo;
    }

    /// <summary>Whether this path can stand for <paramref name="elbo"/> with <paramref name="guide"/>.</summary>
    public static bool Applies(Elbo elbo, AutoGuide guide)
    {
        ArgumentNullException.ThrowIfNull(elbo);
        ArgumentNullException.ThrowIfNull(guide);
        if (elbo.Estimator is not (GradientEstimator.Reparameterized or GradientEstimator.StickingTheLanding)) return false;
        if (guide is not (AutoNormal or AutoMultivariateNormal or AutoLowRankMultivariateNormal)) return false;
        foreach (var site in guide.Latents)
            foreach (var frame in site.Frames)
                if (frame.SubsampleSize != frame.Size) return false;
        return true;
    }

    /// <summary>The ELBO this path stands for (and falls back to).</summary>
    public Elbo General => _general;

    /// <summary>True once an evaluation found the model's latent sites different from the guide's: every evaluation then runs the general path.</summary>
    public bool UsesGeneralPath { get; private set; }

    /// <inheritdoc/>
    public int Particles => _general.Particles;

    /// <inheritdoc/>
    public ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (UsesGeneralPath || !ReferenceEquals(guide?.Target, _guide)) return _general.Evaluate(model, guide!, maxPlateNesting, random);
        var start = random.Copy();
        var fast = TryEvaluate(model, maxPlateNesting, _general.Particles, random, _general.StickingTheLanding && GradMode.IsEnabled);
        if (fast is { } value) return value;
        UsesGeneralPath = true;
        return _general.Evaluate(model, guide, maxPlateNesting, start);
    }

    /// <inheritdoc/>
    public double Estimate(Action model, Action guide, int maxPlateNesting, int particles, RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (UsesGeneralPath || !ReferenceEquals(guide?.Target, _guide)) return _general.Estimate(model, guide!, maxPlateNesting, particles, random);
        var start = random.Copy();
        using (GradMode.Disable())
        {
            if (TryEvaluate(model, maxPlateNesting, particles, random, detachParameters: false) is { } value) return value.Estimate;
        }
        UsesGeneralPath = true;
        return _general.Estimate(model, guide, maxPlateNesting, particles, start);
    }

    /// <inheritdoc/>
    public JsonNode? SaveState() => _general.SaveState();

    /// <inheritdoc/>
    public void LoadState(JsonNode? state) => _general.LoadState(state);

    /// <summary>The evaluation, or null when the model's latent sites are not the guide's.</summary>
    private ObjectiveValue? TryEvaluate(Action model, int maxPlateNesting, int particles, RandomStream random, bool detachParameters)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), $"FlatGaussianElbo: particles must be at least 1, got {particles}.");
        int particleDim = -(maxPlateNesting + 1);
        var values = new Dictionary<string, Tensor>(_guide.Latents.Count, StringComparer.Ordinal);
        var logQ = _guide is AutoNormal normal
            ? DrawMeanField(normal, particles, maxPlateNesting, random, detachParameters, values)
            : DrawFlat((FlatLatentGuide)_guide, particles, maxPlateNesting, random, detachParameters, values);

        var tracer = new TraceMessenger();
        using (new SeedMessenger(random).Enter())
        using (new SubstituteMessenger(values).Enter())
        using (tracer.Enter())
        using (Primitives.Plate(ParticleLogWeights.ParticlePlateName, particles, dim: particleDim))
            model();
        var trace = tracer.Trace;
        if (!SameLatents(trace, values)) return null;
        var logP = trace.LogProbPerParticle(particles, particleDim);
        var perParticle = logP - logQ;
        double estimate = Elbo.MeanValue(logP, logQ);
        return new ObjectiveValue(-perParticle.Mean(), estimate, ParticleLogWeights.WithoutGuideTrace(trace, logP, logQ, particles, particleDim));
    }

    /// <summary>True when the model's unobserved sample sites are exactly the substituted ones, each holding its given value.</summary>
    private static bool SameLatents(Trace trace, Dictionary<string, Tensor> values)
    {
        int seen = 0;
        foreach (var site in trace.SampleSites)
        {
            if (site.IsObserved) continue;
            if (!values.TryGetValue(site.Name, out var given) || !ReferenceEquals(site.Value, given)) return false;
            seen++;
        }
        return seen == values.Count;
    }

    /// <summary>
    /// The batch shape a guide site's distribution takes under the particle plate (as <see cref="Plate"/> expands it):
    /// the site's batch shape right-aligned in maxPlateNesting + 1 dimensions, ones where it has none, and the
    /// particle count at the particle plate's dimension.
    /// </summary>
    private static int[] ParticleBatchShape(int particles, int maxPlateNesting, ReadOnlySpan<int> batch)
    {
        int rank = Math.Max(batch.Length, maxPlateNesting + 1);
        var shape = new int[rank];
        shape.AsSpan().Fill(1);
        batch.CopyTo(shape.AsSpan(rank - batch.Length));
        shape[rank - maxPlateNesting - 1] = particles;
        return shape;
    }

    /// <summary>
    /// The mean-field guide's draws, site by site in the guide's order (AutoNormal's body), into
    /// <paramref name="values"/>; returns log q per particle (with −log|det J| of the constrained sites).
    /// </summary>
    private static Tensor DrawMeanField(AutoNormal guide, int particles, int maxPlateNesting, RandomStream random, bool detach, Dictionary<string, Tensor> values)
    {
        var store = ParamStore.Current;
        int particleDim = -(maxPlateNesting + 1);
        Tensor? logQ = null;
        int offset = 0;
        foreach (var site in guide.Latents)
        {
            var loc = store.Get($"{guide.Prefix}.loc.{site.Name}");
            var scale = store.Get($"{guide.Prefix}.scale.{site.Name}");
            if (guide.Preconditioner is { } p)
            {
                int n = site.UnconstrainedCount;
                var shape = site.UnconstrainedShape.ToArray();
                var s = Tensor.FromArray(p.Scales.AsSpan(offset, n).ToArray(), shape);
                var shift = Tensor.FromArray(p.Shift.AsSpan(offset, n).ToArray(), shape);
                (loc, scale) = (shift + s * loc, s * scale);
                offset += n;
            }
            int eventDim = TransformedSite.UnconstrainedEventDim(site);
            Distribution q = new Normal(loc, scale);
            if (eventDim > 0) q = q.ToEvent(eventDim);
            // the site's distribution as the plates leave it: particles leftmost, a slot for every plate
            var batch = ParticleBatchShape(particles, maxPlateNesting, q.BatchShape);
            var expanded = q.Expand(batch);
            var u = expanded.RSample(random, []);
            // sticking the landing: the density of the draw with the parameters cut from the graph
            var scored = expanded;
            if (detach)
            {
                Distribution cut = new Normal(loc.Detach(), scale.Detach());
                if (eventDim > 0) cut = cut.ToEvent(eventDim);
                scored = cut.Expand(batch);
            }
            var siteLogQ = Trace.ParticleSum(scored.LogProb(u), particles, particleDim, site.Name);
            logQ = logQ is null ? siteLogQ : logQ + siteLogQ;
            logQ = Place(site, u, particles, particleDim, logQ, values);
        }
        return logQ!;
    }

    /// <summary>
    /// The draws of a guide over the flat latent vector (<see cref="FlatLatentGuide"/>'s body: one joint draw cut into
    /// the sites' blocks), into <paramref name="values"/>; returns log q per particle.
    /// </summary>
    private static Tensor DrawFlat(FlatLatentGuide guide, int particles, int maxPlateNesting, RandomStream random, bool detach, Dictionary<string, Tensor> values)
    {
        int particleDim = -(maxPlateNesting + 1);
        var q = guide.LatentDistribution();
        var batch = ParticleBatchShape(particles, maxPlateNesting, q.BatchShape);
        var expanded = q.Expand(batch);
        var latent = expanded.RSample(random, []);
        var scored = expanded;
        if (detach)
        {
            var store = ParamStore.Current;
            using (new SubstituteMessenger(s => s.Kind == SiteKind.Param ? store.Get(s.Name).Detach() : null).Enter())
                scored = guide.LatentDistribution().Expand(batch);
        }
        var logQ = Trace.ParticleSum(scored.LogProb(latent), particles, particleDim, $"_{guide.Prefix}_latent");
        int offset = 0;
        foreach (var site in guide.Latents)
        {
            int n = site.UnconstrainedCount;
            var block = latent.Narrow(-1, offset, n);
            offset += n;
            var shape = new List<int>(maxPlateNesting + 1 + site.UnconstrainedShape.Length) { particles };
            for (int i = site.BatchRank; i < maxPlateNesting; i++) shape.Add(1);
            shape.AddRange(site.UnconstrainedShape);
            logQ = Place(site, block.Reshape([.. shape]), particles, particleDim, logQ, values);
        }
        return logQ;
    }

    /// <summary>
    /// Puts the unconstrained draw <paramref name="u"/> of <paramref name="site"/> on its support (as
    /// <see cref="TransformedSite.Place"/> does) into <paramref name="values"/>; returns log q minus log|det J|.
    /// </summary>
    private static Tensor Place(LatentSite site, Tensor u, int particles, int particleDim, Tensor logQ, Dictionary<string, Tensor> values)
    {
        var bijector = site.Bijector;
        if (bijector is null)
        {
            values[site.Name] = u;
            return logQ;
        }
        var z = bijector.Forward(u);
        var logDet = bijector.LogAbsDetJacobian(u, z);
        int batchRank = u.Rank - TransformedSite.UnconstrainedEventDim(site);
        while (logDet.Rank > batchRank) logDet = logDet.Sum(-1);
        values[site.Name] = z;
        return logQ + Trace.ParticleSum(-logDet, particles, particleDim, site.Name);
    }
}
