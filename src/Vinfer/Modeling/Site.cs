using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Modeling;

/// <summary>
/// The message a primitive sends through the handler stack, and the record a <see cref="Handlers.TraceMessenger"/>
/// keeps of it (Pyro's <c>msg</c> dictionary). Handlers read and rewrite its fields on the way in
/// (<see cref="Messenger.ProcessMessage"/>) and see the outcome on the way out (<see cref="Messenger.PostprocessMessage"/>).
/// </summary>
public sealed class Site
{
    internal Site(string name, SiteKind kind)
    {
        Name = name;
        Kind = kind;
    }

    /// <summary>The site's name, unique within one run of a model.</summary>
    public string Name { get; }

    /// <summary>What the site stands for.</summary>
    public SiteKind Kind { get; }

    /// <summary>The distribution of a sample site (after any plate expanded its batch shape); null otherwise.</summary>
    public Distribution? Distribution { get; set; }

    /// <summary>The value: drawn, observed, substituted, replayed, or the parameter's constrained value.</summary>
    public Tensor? Value { get; set; }

    /// <summary>True when the value is data (the site contributes a likelihood term, never a latent).</summary>
    public bool IsObserved { get; set; }

    /// <summary>
    /// True for sites a guide uses internally (for example the unconstrained draw behind a transformed latent):
    /// they count in the guide's density but are never replayed into the model.
    /// </summary>
    public bool IsAuxiliary { get; set; }

    /// <summary>The factor the site's log-density is multiplied by (plate subsampling, <see cref="Handlers.ScaleMessenger"/>).</summary>
    public double Scale { get; set; } = 1.0;

    /// <summary>The plates the site sits in, outermost first.</summary>
    public List<PlateFrame> Frames { get; } = new();

    /// <summary>The random stream a draw at this site uses; set by <see cref="Handlers.SeedMessenger"/>.</summary>
    public RandomStream? Random { get; set; }

    /// <summary>When a handler sets this, handlers further out on the stack do not see the message.</summary>
    public bool Stop { get; set; }

    /// <summary>The support of a parameter (its unconstrained leaf lives in the <see cref="ParamStore"/>).</summary>
    public Constraint? Constraint { get; set; }

    /// <summary>A parameter's initial (constrained) value, used the first time the store meets its name.</summary>
    public Func<Tensor>? Init { get; set; }

    /// <summary>For a subsample site: the plate's full size and the size to draw.</summary>
    internal (int Size, int SubsampleSize) SubsampleSizes { get; set; }

    /// <summary>The scaled log-density of the value (batch-shaped), once <see cref="Trace.ComputeLogProbs"/> ran.</summary>
    public Tensor? LogProb { get; internal set; }

    /// <summary>True for an unobserved, non-auxiliary sample site: a latent variable of the model.</summary>
    public bool IsLatent => Kind == SiteKind.Sample && !IsObserved && !IsAuxiliary;

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} '{Name}'{(IsObserved ? " (observed)" : "")}{(Value is null ? "" : " " + Shapes.Format(Value.Shape))}";
}
