using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Modeling;

/// <summary>
/// The statements a model or guide is written with; bring them in with <c>using static Vinfer.Modeling.Primitives;</c>.
/// Each sends a <see cref="Site"/> through the active handlers, which decide what it means (draw, condition, replay,
/// record…): the same model code serves prior sampling, conditioning, variational fitting and prediction.
/// </summary>
public static class Primitives
{
    /// <summary>A latent random variable: drawn (reparameterized where the distribution allows) unless a handler supplies its value.</summary>
    public static Tensor Sample(string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var site = new Site(name, SiteKind.Sample) { Distribution = distribution };
        HandlerStack.Apply(site);
        return site.Value!;
    }

    /// <summary>
    /// A guide-internal random variable (for example the unconstrained draw behind a transformed latent): it counts
    /// in the guide's density but is never replayed into the model.
    /// </summary>
    public static Tensor Auxiliary(string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var site = new Site(name, SiteKind.Sample) { Distribution = distribution, IsAuxiliary = true };
        HandlerStack.Apply(site);
        return site.Value!;
    }

    /// <summary>An observed random variable: the value is data and the site contributes its log-likelihood.</summary>
    public static Tensor Sample(string name, Distribution distribution, Tensor observed)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        ArgumentNullException.ThrowIfNull(observed);
        var site = new Site(name, SiteKind.Sample) { Distribution = distribution, Value = observed, IsObserved = true };
        HandlerStack.Apply(site);
        return site.Value!;
    }

    /// <summary>
    /// A learnable parameter from the current <see cref="ParamStore"/>, on the constrained scale; the store keeps its
    /// unconstrained leaf. <paramref name="init"/> (constrained) is used only the first time the name is seen.
    /// </summary>
    public static Tensor Param(string name, Tensor init, Constraint? constraint = null)
    {
        ArgumentNullException.ThrowIfNull(init);
        return Param(name, () => init, constraint);
    }

    /// <summary>A learnable parameter whose initial value is computed only when first needed.</summary>
    public static Tensor Param(string name, Func<Tensor> init, Constraint? constraint = null)
    {
        var site = new Site(name, SiteKind.Param) { Init = init, Constraint = constraint };
        HandlerStack.Apply(site);
        return site.Value!;
    }

    /// <summary>
    /// Adds an arbitrary log-density term to the model (Pyro's <c>factor</c>): an observed site whose log-density is
    /// <paramref name="logFactor"/>. Used for likelihoods computed by fused kernels (for example
    /// <see cref="Likelihoods.Glm"/>), whose value is already summed over the data. Its shape is a batch shape
    /// (per particle under vectorized particles).
    /// </summary>
    public static Tensor Factor(string name, Tensor logFactor)
    {
        ArgumentNullException.ThrowIfNull(logFactor);
        // A point mass whose observed value is the factor itself: its log-density at that value is the factor.
        var site = new Site(name, SiteKind.Sample) { Distribution = new Delta(logFactor, logFactor, 0), Value = logFactor, IsObserved = true };
        HandlerStack.Apply(site);
        return logFactor;
    }

    /// <summary>Records a function of other sites under a name (reported with the results), returning it unchanged.</summary>
    public static Tensor Deterministic(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var site = new Site(name, SiteKind.Deterministic) { Value = value };
        HandlerStack.Apply(site);
        return site.Value!;
    }

    /// <summary>
    /// A plate (independence scope) of <paramref name="size"/> entries; with <paramref name="subsampleSize"/> only that
    /// many random entries are used per pass and log-densities inside are scaled by size / subsampleSize.
    /// <paramref name="dim"/> (negative) fixes the batch dimension; by default the rightmost free one is taken.
    /// </summary>
    public static Plate Plate(string name, int size, int? subsampleSize = null, int? dim = null)
    {
        var p = new Plate(name, size, subsampleSize, dim);
        p.Enter();
        return p;
    }
}
