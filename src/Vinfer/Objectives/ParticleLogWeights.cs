using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Objectives;

/// <summary>
/// The traces and per-particle log-weights log w_s = log p(x, z_s) − log q(z_s) of one vectorized pass:
/// the guide runs once under a particle plate of S entries at the batch dimension left of all model plates
/// (Pyro's <c>vectorize_particles</c>), the model runs once replayed on the guide's draws, and each trace's scaled
/// log-densities are summed per particle. Every objective (ELBO, IWAE, Rényi) starts from these.
/// </summary>
public sealed class ParticleLogWeights
{
    /// <summary>The name of the particle plate.</summary>
    public const string ParticlePlateName = "_particles";

    private ParticleLogWeights(Trace guideTrace, Trace modelTrace, Tensor logP, Tensor logQ, int particles, int particleDim)
    {
        GuideTrace = guideTrace;
        ModelTrace = modelTrace;
        LogP = logP;
        LogQ = logQ;
        Particles = particles;
        ParticleDim = particleDim;
    }

    /// <summary>The guide's trace (latent values have the particle dimension leftmost).</summary>
    public Trace GuideTrace { get; }

    /// <summary>The model's trace, replayed on the guide's draws.</summary>
    public Trace ModelTrace { get; }

    /// <summary>log p(x, z_s) per particle, shape [S].</summary>
    public Tensor LogP { get; }

    /// <summary>log q(z_s) per particle, shape [S].</summary>
    public Tensor LogQ { get; }

    /// <summary>Number of particles S.</summary>
    public int Particles { get; }

    /// <summary>The batch dimension of the particle plate, −(max plate nesting + 1).</summary>
    public int ParticleDim { get; }

    /// <summary>log w_s = log p(x, z_s) − log q(z_s), shape [S].</summary>
    public Tensor LogWeights => LogP - LogQ;

    /// <summary>
    /// Runs guide then model under a particle plate of <paramref name="particles"/> entries and sums their
    /// log-densities per particle. <paramref name="maxPlateNesting"/> is the model's (and guide's) plate depth.
    /// </summary>
    public static ParticleLogWeights Compute(Action model, Action guide, int particles, int maxPlateNesting, RandomStream random)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), $"ParticleLogWeights: particles must be at least 1, got {particles}.");
        int dim = -(maxPlateNesting + 1);
        var guideTrace = RunVectorized(guide, particles, dim, random, null);
        var modelTrace = RunVectorized(model, particles, dim, random, guideTrace);
        var logQ = guideTrace.LogProbPerParticle(particles, dim);
        var logP = modelTrace.LogProbPerParticle(particles, dim);
        return new ParticleLogWeights(guideTrace, modelTrace, logP, logQ, particles, dim);
    }

    /// <summary>Runs a program under a seed, a particle plate and a trace (replayed on <paramref name="replay"/> when given).</summary>
    public static Trace RunVectorized(Action program, int particles, int particleDim, RandomStream random, Trace? replay)
    {
        var tracer = new TraceMessenger();
        using (new SeedMessenger(random).Enter())
        using (replay is null ? null : new ReplayMessenger(replay).Enter())
        using (tracer.Enter())
        using (Primitives.Plate(ParticlePlateName, particles, dim: particleDim))
            program();
        return tracer.Trace;
    }
}
