using System.Text.Json.Nodes;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// A variational family that <see cref="Inference.VariationalFit"/>, the CLI's <c>--family</c> and
/// <see cref="GuideFile"/> know by name: one class per family says what it is called on the command line, what its
/// saved guides are called, how to build its automatic guide from a model (Kucukelbir et al., JMLR 2017: the guide
/// lives in the unconstrained space of the model's trace) and how to rebuild it from a saved file. Families are
/// listed in <see cref="VariationalFamilies"/>; adding one is adding a subclass there (or
/// <see cref="VariationalFamilies.Register"/> for a family outside the library).
/// </summary>
public abstract class VariationalFamily
{
    /// <summary>The name on the command line (<c>--family meanfield</c>) and in reports.</summary>
    public abstract string Name { get; }

    /// <summary>Other command-line names accepted for the family (none by default).</summary>
    public virtual IReadOnlyList<string> Aliases => [];

    /// <summary>The family's name in saved guide files (<see cref="AutoGuide.Family"/>, for example "AutoNormal").</summary>
    public abstract string FileFamily { get; }

    /// <summary>A short description for help texts.</summary>
    public abstract string Description { get; }

    /// <summary>True for point estimates (MAP): one particle suffices, and there is no density for PSIS to check.</summary>
    public virtual bool IsPointEstimate => false;

    /// <summary>
    /// False for families whose density cannot re-evaluate a draw with detached parameters (flows without a
    /// differentiable inverse: planar): they are fitted with the plain reparameterized ELBO gradient instead of
    /// sticking-the-landing, and an importance-weighted fit with DReG or STL is refused.
    /// </summary>
    public virtual bool SupportsStickingTheLanding => true;

    /// <summary>
    /// Whether an ELBO fit asked for sticking-the-landing (<see cref="Inference.FitOptions.Estimator"/>'s default) uses
    /// it; false falls back to the plain reparameterized gradient. True when <see cref="SupportsStickingTheLanding"/>,
    /// except for families that keep the reparameterized ELBO for other reasons (the flows: see <see cref="FlowFamily"/>).
    /// </summary>
    public virtual bool ElboUsesStickingTheLanding => SupportsStickingTheLanding;

    /// <summary>Why <see cref="SupportsStickingTheLanding"/> is false, for error messages (null when it is true).</summary>
    public virtual string? WhyNoStickingTheLanding => SupportsStickingTheLanding ? null : "its density cannot re-score a draw with detached parameters";

    /// <summary>The factor applied to the fit's learning rate for this family (flows take smaller steps than a Gaussian).</summary>
    public virtual double LearningRateFactor => 1.0;

    /// <summary>The family's automatic guide for <paramref name="model"/> (its parameters are created on first use).</summary>
    public abstract AutoGuide Create(Action model, FamilyOptions options);

    /// <summary>The family's guide over the latent sites of a saved file, with the settings its guide wrote.</summary>
    public abstract AutoGuide Load(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, JsonObject settings);

    /// <summary>The mean-field Gaussian (<see cref="AutoNormal"/>).</summary>
    public static VariationalFamily MeanField => VariationalFamilies.MeanField;

    /// <summary>The full-rank Gaussian (<see cref="AutoMultivariateNormal"/>).</summary>
    public static VariationalFamily FullRank => VariationalFamilies.FullRank;

    /// <summary>The low-rank-plus-diagonal Gaussian (<see cref="AutoLowRankMultivariateNormal"/>).</summary>
    public static VariationalFamily LowRank => VariationalFamilies.LowRank;

    /// <summary>The point mass of MAP estimation (<see cref="AutoDelta"/>).</summary>
    public static VariationalFamily Map => VariationalFamilies.Map;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
