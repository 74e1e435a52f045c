using Vinfer.Modeling.Handlers;
using Vinfer.Tensors;

using Vinfer.Guides;

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
            var ld = bijector.LogAbsDetJacobian(u, z).Sum();
            logDet = logDet is null ? ld : logDet + ld;
        }
        var tracer = new TraceMessenger();
        using (new SubstituteMessenger(constrained).Enter())
        using (new SeedMessenger(0).Enter())
        using (tracer.Enter())
            _model();
        var lp = tracer.Trace.LogProbSum();
        return logDet is null ? lp : lp + logDet;
    }
}
