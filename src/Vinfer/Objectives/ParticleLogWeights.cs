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

    /// <summary>
    /// Log-weights computed without a guide trace (by <c>Inference.FlatGaussianElbo</c>, which does not run the guide
    /// program): <see cref="GuideTrace"/> is then empty, so only <see cref="LogP"/>, <see cref="LogQ"/> and the model's
    /// trace are available.
    /// </summary>
    internal static ParticleLogWeights WithoutGuideTrace(Trace modelTrace, Tensor logP, Tensor logQ, int particles, int particleDim) =>
        new(new Trace(), modelTrace, logP, logQ, particles, particleDim);

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
    /// The log-weights split by plate <paramref name="plateName"/> (see <see cref="Trace.LogProbPerParticleAndPlate"/>):
    /// <c>Local</c>[s, b] = log p(x_b, z_{s,b}) − log q(z_{s,b}) of the sites inside the plate, shape [S, B], one entry per
    /// point, the plate's subsampling factor divided out (it is <c>PlateScale</c>); <c>Global</c>[s] the same difference for
    /// the sites outside the plate, shape [S]. Local + global summed (local times the scale) is <see cref="LogWeights"/>.
    /// </summary>
    public (Tensor Global, Tensor Local, double PlateScale) PlateLogWeights(string plateName) => PlateLogWeights(ModelTrace, GuideTrace, plateName);

    /// <summary>
    /// <see cref="PlateLogWeights(string)"/> for given model and guide traces of this pass (for example a guide re-run
    /// with detached parameters).
    /// </summary>
    public (Tensor Global, Tensor Local, double PlateScale) PlateLogWeights(Trace modelTrace, Trace guideTrace, string plateName)
    {
        var p = modelTrace.LogProbPerParticleAndPlate(Particles, ParticleDim, plateName);
        var q = guideTrace.LogProbPerParticleAndPlate(Particles, ParticleDim, plateName);
        if (p.Local.Dim(1) != q.Local.Dim(1))
            throw new InvalidOperationException($"ParticleLogWeights: plate '{plateName}' has {p.Local.Dim(1)} entries in the model and {q.Local.Dim(1)} in the guide.");
        return (p.Global - q.Global, p.Local - q.Local, p.PlateScale);
    }

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
