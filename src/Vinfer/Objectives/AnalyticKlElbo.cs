using Vinfer.Tensors;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Random;

namespace Vinfer.Objectives;

/// <summary>
/// The ELBO written as E_q[log p(x | z)] − KL(q ‖ p) where the guide's and the prior's distributions at a latent
/// site have an analytic KL registered with <see cref="KullbackLeibler"/> (Kingma and Welling, ICLR 2014, eq. 10;
/// Pyro's <c>TraceMeanField_ELBO</c>), and Monte Carlo elsewhere. Replacing a site's log p − log q by −KL removes
/// that term's sampling noise. The KL is evaluated against the prior the model built from the guide's draws of the
/// other sites, which keeps the estimate unbiased when the guide's site is independent of the latents its prior
/// depends on (mean-field guides, as Pyro's version assumes). Only reparameterized guides.
/// </summary>
public sealed class AnalyticKlElbo : IObjective
{
    /// <summary>An analytic-KL ELBO with <paramref name="particles"/> particles per step.</summary>
    public AnalyticKlElbo(int particles = 1)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), $"AnalyticKlElbo: particles must be at least 1, got {particles}.");
        Particles = particles;
    }

    /// <inheritdoc/>
    public int Particles { get; }

    /// <inheritdoc/>
    public ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random) =>
        Evaluate(model, guide, maxPlateNesting, Particles, random);

    /// <summary>This ELBO (analytic KL where registered) from <paramref name="particles"/> particles, without gradients.</summary>
    public double Estimate(Action model, Action guide, int maxPlateNesting, int particles, RandomStream random)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), $"AnalyticKlElbo.Estimate: particles must be at least 1, got {particles}.");
        using var _ = GradMode.Disable();
        return Evaluate(model, guide, maxPlateNesting, particles, random).Estimate;
    }

    private static ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, int particles, RandomStream random)
    {
        var w = ParticleLogWeights.Compute(model, guide, particles, maxPlateNesting, random);
        var perParticle = w.LogP - w.LogQ;
        foreach (var site in w.ModelTrace.Latents)
        {
            if (!w.GuideTrace.TryGet(site.Name, out var g) || g.IsAuxiliary) continue;
            var q = g.Distribution!;
            var p = site.Distribution!;
            if (!q.HasRSample)
                throw new NotSupportedException($"AnalyticKlElbo: guide site '{site.Name}' is not reparameterizable; use Elbo (score-function terms).");
            if (!KullbackLeibler.IsRegistered(q, p)) continue;
            var kl = KullbackLeibler.Divergence(q, p);
            if (site.Scale != 1.0) kl = kl * site.Scale;
            var klPerParticle = Trace.ParticleSum(kl, w.Particles, w.ParticleDim, site.Name);
            var lp = Trace.ParticleSum(site.LogProb!, w.Particles, w.ParticleDim, site.Name);
            var lq = Trace.ParticleSum(g.LogProb!, w.Particles, w.ParticleDim, site.Name);
            perParticle = perParticle - lp + lq - klPerParticle;
        }
        double estimate = 0;
        foreach (double v in perParticle.Span) estimate += v;
        estimate /= w.Particles;
        return new ObjectiveValue(-perParticle.Mean(), estimate, w);
    }
}
