using System.Text.Json.Nodes;
using Vinfer.Tensors;
using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using Vinfer.Random;

namespace Vinfer.Objectives;

/// <summary>
/// The evidence lower bound E_q[log p(x, z) − log q(z)], estimated from S particles drawn in one vectorized pass
/// (Pyro's <c>Trace_ELBO</c> with <c>vectorize_particles</c>).
/// <list type="bullet">
/// <item>Reparameterized guide sites: pathwise gradient (Kingma and Welling, "Auto-encoding variational Bayes",
/// ICLR 2014; Kucukelbir et al., "Automatic differentiation variational inference", JMLR 2017).</item>
/// <item>Guide sites without a reparameterized sampler: score-function (REINFORCE) term
/// log q(z_s)·(log w_s − b_s) with a baseline b_s: the mean of the other particles' log-weights when S &gt; 1
/// (Mnih and Rezende, "Variational inference for Monte Carlo objectives", ICML 2016), else an exponential moving
/// average of the log-weights of past evaluations, one average per site, keyed by the site's name (Ranganath et al.,
/// "Black box variational inference", AISTATS 2014; Pyro's per-site baselines), so that a site drawn only on some
/// evaluations is centred by the evaluations it took part in. The moving averages are the objective's state:
/// <see cref="SaveState"/> puts them in a fit's checkpoint. The estimator does not exploit conditional independence
/// (Rao–Blackwellization): every site's term uses the whole log-weight.</item>
/// <item>Sticking the landing (Roeder, Wu and Duvenaud, NeurIPS 2017): log q is evaluated with the guide's
/// parameters cut from the graph, dropping the score term whose expectation is zero; lower variance near the optimum.
/// Only meaningful for fully reparameterized guides (it re-runs the guide once per evaluation).</item>
/// <item>With <see cref="GradientEstimator.ScoreFunction"/>, every guide site is drawn without reparameterization
/// (point masses excepted: they are deterministic given the other draws), so the whole gradient is the
/// score-function estimator above.</item>
/// </list>
/// </summary>
public sealed class Elbo : IObjective
{
    private readonly ScoreFunctionBaselines _baselines = new();

    /// <summary>An ELBO estimator with <paramref name="particles"/> particles per step.</summary>
    public Elbo(int particles = 1, bool stickingTheLanding = false)
        : this(particles, stickingTheLanding ? GradientEstimator.StickingTheLanding : GradientEstimator.Reparameterized) { }

    /// <summary>An ELBO estimator with <paramref name="particles"/> particles per step and the given gradient estimator.</summary>
    public Elbo(int particles, GradientEstimator estimator)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), $"Elbo: particles must be at least 1, got {particles}.");
        if (!Enum.IsDefined(estimator)) throw new ArgumentOutOfRangeException(nameof(estimator), $"Elbo: unknown gradient estimator {estimator}.");
        Particles = particles;
        Estimator = estimator;
    }

    /// <inheritdoc/>
    public int Particles { get; }

    /// <summary>How the gradient is estimated at reparameterizable guide sites.</summary>
    public GradientEstimator Estimator { get; }

    /// <summary>Whether log q is evaluated with the guide's parameters detached (Roeder et al. 2017).</summary>
    public bool StickingTheLanding => Estimator is GradientEstimator.StickingTheLanding or GradientEstimator.DoublyReparameterized;

    /// <inheritdoc/>
    public ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random)
    {
        if (Estimator == GradientEstimator.ScoreFunction) guide = WithoutReparameterization(guide);
        var w = ParticleLogWeights.Compute(model, guide, Particles, maxPlateNesting, random);
        var logQ = StickingTheLanding ? DetachedParameterLogQ(guide, w) : w.LogQ;
        var perParticle = w.LogP - logQ;
        var surrogate = AddScoreFunctionTerms(perParticle, w);
        double estimate = MeanValue(w.LogP, w.LogQ);
        return new ObjectiveValue(-surrogate.Mean(), estimate, w);
    }

    /// <summary>The ELBO, mean of log p − log q over <paramref name="particles"/> particles, without gradients; the baselines are untouched.</summary>
    public double Estimate(Action model, Action guide, int maxPlateNesting, int particles, RandomStream random)
    {
        using var _ = GradMode.Disable();
        var w = ParticleLogWeights.Compute(model, guide, particles, maxPlateNesting, random);
        return MeanValue(w.LogP, w.LogQ);
    }

    /// <summary>The score-function baselines of one-particle evaluations, <c>{"baselines": {site: value}}</c>; null before any.</summary>
    public JsonNode? SaveState()
    {
        return _baselines.Save();
    }

    /// <summary>Replaces the baselines by those of <see cref="SaveState"/> (null clears them).</summary>
    public void LoadState(JsonNode? state)
    {
        _baselines.Load(state, "Elbo");
    }

    /// <summary>The mean over particles of log p − log q, as a number.</summary>
    internal static double MeanValue(Tensor logP, Tensor logQ)
    {
        double sum = 0;
        var p = logP.Span;
        var q = logQ.Span;
        for (int i = 0; i < p.Length; i++) sum += p[i] - q[i];
        return sum / p.Length;
    }

    /// <summary>log q(z_s) re-evaluated with every guide parameter detached, keeping the dependence on z_s.</summary>
    internal static Tensor DetachedParameterLogQ(Action guide, ParticleLogWeights w)
    {
        var store = ParamStore.Current;
        var tracer = new TraceMessenger();
        using (new ReplayMessenger(w.GuideTrace, includeAuxiliary: true).Enter())
        using (new SubstituteMessenger(s => s.Kind == SiteKind.Param ? store.Get(s.Name).Detach() : null).Enter())
        using (tracer.Enter())
        using (Primitives.Plate(ParticleLogWeights.ParticlePlateName, w.Particles, dim: w.ParticleDim))
            guide();
        return tracer.Trace.LogProbPerParticle(w.Particles, w.ParticleDim);
    }

    /// <summary>The guide with every non-point-mass draw cut from the graph, so the score-function terms carry the gradient.</summary>
    private static Action WithoutReparameterization(Action guide) => () =>
    {
        using (new HideReparameterization().Enter()) guide();
    };

    private sealed class HideReparameterization : Messenger
    {
        protected internal override void ProcessMessage(Site site)
        {
            if (site.Kind == SiteKind.Sample && !site.IsObserved && site.Value is null
                && site.Distribution is { HasRSample: true } d && d is not Distributions.Delta)
                site.Distribution = new Distributions.NonReparameterized(d);
        }
    }

    /// <summary>Adds log q_site(z_s)·stop(log w_s − b_site,s) for every guide site drawn without reparameterization.</summary>
    private Tensor AddScoreFunctionTerms(Tensor perParticle, ParticleLogWeights w)
    {
        int n = w.Particles;
        var lw = perParticle.Span;
        double total = 0;
        for (int i = 0; i < n; i++) total += lw[i];
        Tensor? leaveOneOut = null;
        var surrogate = perParticle;
        foreach (var s in w.GuideTrace.SampleSites)
        {
            if (s.IsObserved || s.Distribution!.HasRSample) continue;
            var lq = Trace.ParticleSum(s.LogProb!, w.Particles, w.ParticleDim, s.Name);
            Tensor centered;
            if (n > 1)
            {
                // the other particles' mean log-weight: the same for every site
                if (leaveOneOut is null)
                {
                    leaveOneOut = Tensor.Zeros(n);
                    var c = leaveOneOut.Span;
                    for (int i = 0; i < n; i++) c[i] = lw[i] - (total - lw[i]) / (n - 1);
                }
                centered = leaveOneOut;
            }
            else
            {
                centered = Tensor.Full(_baselines.Centre(s.Name, lw[0]), 1);
            }
            surrogate = surrogate + lq * centered;
        }
        return surrogate;
    }
}
