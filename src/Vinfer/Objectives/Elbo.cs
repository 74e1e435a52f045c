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
/// average of past estimates (Ranganath et al., "Black box variational inference", AISTATS 2014). The baseline does
/// not depend on the site, so the estimator does not exploit conditional independence (Rao–Blackwellization).</item>
/// <item>Sticking the landing (Roeder, Wu and Duvenaud, NeurIPS 2017): log q is evaluated with the guide's
/// parameters cut from the graph, dropping the score term whose expectation is zero; lower variance near the optimum.
/// Only meaningful for fully reparameterized guides (it re-runs the guide once per evaluation).</item>
/// </list>
/// </summary>
public sealed class Elbo : IObjective
{
    private const double BaselineDecay = 0.9;
    private double _baseline = double.NaN;

    /// <summary>An ELBO estimator with <paramref name="particles"/> particles per step.</summary>
    public Elbo(int particles = 1, bool stickingTheLanding = false)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), $"Elbo: particles must be at least 1, got {particles}.");
        Particles = particles;
        StickingTheLanding = stickingTheLanding;
    }

    /// <inheritdoc/>
    public int Particles { get; }

    /// <summary>Whether log q is evaluated with the guide's parameters detached (Roeder et al. 2017).</summary>
    public bool StickingTheLanding { get; }

    /// <inheritdoc/>
    public ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random)
    {
        var w = ParticleLogWeights.Compute(model, guide, Particles, maxPlateNesting, random);
        var logQ = StickingTheLanding ? DetachedParameterLogQ(guide, w) : w.LogQ;
        var perParticle = w.LogP - logQ;
        var surrogate = AddScoreFunctionTerms(perParticle, w);
        double estimate = MeanValue(w.LogP, w.LogQ);
        return new ObjectiveValue(-surrogate.Mean(), estimate, w);
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

    /// <summary>Adds log q_site(z_s)·stop(log w_s − b_s) for every guide site drawn without reparameterization.</summary>
    private Tensor AddScoreFunctionTerms(Tensor perParticle, ParticleLogWeights w)
    {
        Tensor? scoreLogQ = null;
        foreach (var s in w.GuideTrace.SampleSites)
        {
            if (s.IsObserved || s.Distribution!.HasRSample) continue;
            var lq = Trace.ParticleSum(s.LogProb!, w.Particles, w.ParticleDim, s.Name);
            scoreLogQ = scoreLogQ is null ? lq : scoreLogQ + lq;
        }
        if (scoreLogQ is null) return perParticle;
        int n = w.Particles;
        var centered = Tensor.Zeros(n);
        var lw = perParticle.Span;
        var c = centered.Span;
        double total = 0;
        for (int i = 0; i < n; i++) total += lw[i];
        if (n > 1)
            for (int i = 0; i < n; i++) c[i] = lw[i] - (total - lw[i]) / (n - 1);
        else
        {
            double b = double.IsNaN(_baseline) ? lw[0] : _baseline;
            c[0] = lw[0] - b;
            if (double.IsFinite(lw[0])) _baseline = double.IsNaN(_baseline) ? lw[0] : BaselineDecay * _baseline + (1 - BaselineDecay) * lw[0];
        }
        return perParticle + scoreLogQ * centered;
    }
}
