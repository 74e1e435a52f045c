using Vinfer.Modeling.Handlers;
using Vinfer.Tensors;

using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Objectives;

namespace Vinfer.Inference;

/// <summary>
/// The log joint density of a model as a function of its latent sites' unconstrained coordinates, as ADVI and HMC
/// need it (Kucukelbir et al., JMLR 2017, eq. 3; Stan Reference Manual, "Constraint transforms"):
/// log p(x, T(u)) + Σ log|det ∂T/∂u|, with T each site's bijector onto its support.
/// </summary>
public sealed class UnconstrainedLogDensity
{
    private readonly Action _model;

    /// <summary>The density of <paramref name="model"/>, whose latent sites are read from one traced run.</summary>
    public UnconstrainedLogDensity(Action model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        Prototype = ModelPrototype.Capture(model);
    }

    /// <summary>The model's structure (latent sites and their unconstrained shapes).</summary>
    public ModelPrototype Prototype { get; }

    /// <summary>
    /// log p(x, T(u)) + Σ log|det ∂T/∂u| at the unconstrained values <paramref name="unconstrained"/> (one per latent
    /// site, in its unconstrained shape); differentiable in them. A scalar.
    /// </summary>
    public Tensor Evaluate(IReadOnlyDictionary<string, Tensor> unconstrained)
    {
        var (constrained, logDet) = Constrain(unconstrained, ld => ld.Sum());
        var tracer = new TraceMessenger();
        using (new SubstituteMessenger(constrained).Enter())
        using (new SeedMessenger(0).Enter())
        using (tracer.Enter())
            _model();
        var lp = tracer.Trace.LogProbSum();
        return logDet is null ? lp : lp + logDet;
    }

    /// <summary>Each site's constrained value T(u) and the sum over sites of log|det ∂T/∂u|, each site's reduced by <paramref name="reduce"/>.</summary>
    private (Dictionary<string, Tensor> Constrained, Tensor? LogDet) Constrain(IReadOnlyDictionary<string, Tensor> unconstrained, Func<Tensor, Tensor> reduce)
    {
        var constrained = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        Tensor? logDet = null;
        foreach (var site in Prototype.Latents)
        {
            if (!unconstrained.TryGetValue(site.Name, out var u))
                throw new ArgumentException($"UnconstrainedLogDensity: no value for latent site '{site.Name}'.");
            var bijector = site.Bijector;
            if (bijector is null) { constrained[site.Name] = u; continue; }
            var z = bijector.Forward(u);
            constrained[site.Name] = z;
            var ld = reduce(bijector.LogAbsDetJacobian(u, z));
            logDet = logDet is null ? ld : logDet + ld;
        }
        return (constrained, logDet);
    }

    /// <summary>
    /// <see cref="Evaluate"/> at <paramref name="particles"/> points at once: each site's value has the particle
    /// dimension first, then ones for the plates the site does not use, then its unconstrained shape (the layout
    /// <see cref="FlatLatentGuide"/> gives a particle batch), and the model runs once under the particle plate, as the
    /// ADVI step scores its particles (<see cref="ParticleLogWeights.RunVectorized"/>). Shape [particles].
    /// </summary>
    public Tensor EvaluatePerParticle(IReadOnlyDictionary<string, Tensor> unconstrained, int particles)
    {
        int dim = -(Prototype.MaxPlateNesting + 1);
        var (constrained, logDet) = Constrain(unconstrained, ld => ld.Reshape([particles, ld.Count / particles]).Sum(-1));
        var tracer = new TraceMessenger();
        using (new SubstituteMessenger(constrained).Enter())
        using (new SeedMessenger(0).Enter())
        using (tracer.Enter())
        using (Primitives.Plate(ParticleLogWeights.ParticlePlateName, particles, dim: dim))
            _model();
        var lp = tracer.Trace.LogProbPerParticle(particles, dim);
        return logDet is null ? lp : lp + logDet;
    }
}
