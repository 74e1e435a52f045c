using System.Text.Json.Nodes;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// The normalizing-flow families (<see cref="AutoNormalizingFlow"/>, Rezende and Mohamed 2015): <c>--family flow</c>
/// (RealNVP affine coupling with ActNorm, 4 layers), <c>iaf</c> (<see cref="AutoIafNormal"/>, 2 layers), <c>nsf</c>
/// (rational-quadratic spline coupling, 4 layers) and <c>planar</c> (8 layers). The ELBO is fitted with the plain
/// reparameterized gradient and a fifth of the learning rate; importance-weighted objectives may use DReG or STL
/// except with planar flows, whose inverse is not differentiable.
/// </summary>
public sealed class FlowFamily : VariationalFamily
{
    /// <summary>The settings of each flow family: command-line name, layer kind, default layers.</summary>
    public sealed record Variant(string Name, FlowKind Kind, int DefaultLayers, string Description);

    /// <summary>RealNVP coupling.</summary>
    public static readonly Variant Coupling = new("flow", FlowKind.AffineCoupling, 4, "RealNVP affine coupling flow with ActNorm over a diagonal Gaussian");

    /// <summary>Inverse autoregressive flow.</summary>
    public static readonly Variant Iaf = new("iaf", FlowKind.Iaf, 2, "inverse autoregressive flow on MADE over a diagonal Gaussian (AutoIafNormal)");

    /// <summary>Neural spline flow.</summary>
    public static readonly Variant Nsf = new("nsf", FlowKind.SplineCoupling, 4, "rational-quadratic neural spline coupling flow over a diagonal Gaussian");

    /// <summary>Planar flow.</summary>
    public static readonly Variant Planar = new("planar", FlowKind.Planar, 8, "planar flows over a diagonal Gaussian");

    /// <summary>The family of <paramref name="variant"/>.</summary>
    public FlowFamily(Variant variant) => Settings = variant ?? throw new ArgumentNullException(nameof(variant));

    /// <summary>This family's settings.</summary>
    public Variant Settings { get; }

    /// <inheritdoc/>
    public override string Name => Settings.Name;

    /// <inheritdoc/>
    /// <remarks>
    /// Every <see cref="AutoNormalizingFlow"/> saves as "AutoNormalizingFlow" with its kind in the settings, and the
    /// <c>flow</c> family loads all of them; <c>nsf</c> and <c>planar</c> carry distinct names only to stay unique in
    /// the registry.
    /// </remarks>
    public override string FileFamily => Settings.Kind switch
    {
        FlowKind.Iaf => "AutoIafNormal",
        FlowKind.AffineCoupling => "AutoNormalizingFlow",
        _ => $"AutoNormalizingFlow.{Settings.Name}",
    };

    /// <inheritdoc/>
    public override string Description => Settings.Description;

    /// <inheritdoc/>
    /// <remarks>
    /// True for the flows with a differentiable inverse (IAF through its d-pass inverse, RealNVP and spline coupling in
    /// one pass): sticking-the-landing and DReG re-score a draw z with detached parameters as log q_stop(φ)(z(φ)), which
    /// needs f⁻¹(z) as a function of z. A planar flow's inverse is numeric and not differentiable.
    /// </remarks>
    public override bool SupportsStickingTheLanding => Settings.Kind != FlowKind.Planar;

    /// <inheritdoc/>
    /// <remarks>
    /// False: the flows' ELBO fits keep the plain reparameterized gradient they were measured with (docs/flows.md;
    /// sticking-the-landing would cost an IAF d extra MADE passes per step, not measured). DReG and STL apply to the
    /// importance-weighted objectives (<c>--objective iwae --estimator dreg</c>), and an ELBO with STL is
    /// <c>FitOptions.Objective = (k, _) =&gt; new Elbo(k, GradientEstimator.StickingTheLanding)</c>.
    /// </remarks>
    public override bool ElboUsesStickingTheLanding => false;

    /// <inheritdoc/>
    public override string? WhyNoStickingTheLanding => SupportsStickingTheLanding ? null : "its PlanarFlow layers have no differentiable inverse (a numeric bracketed-Newton solve)";

    /// <inheritdoc/>
    public override double LearningRateFactor => 0.2;

    /// <inheritdoc/>
    public override AutoGuide Create(Action model, FamilyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int layers = options.FlowLayers ?? Settings.DefaultLayers;
        bool iaf = Settings.Kind == FlowKind.Iaf;
        if (options.MaximumLogScale is { } clamp && !iaf)
            throw new ArgumentException($"{Name}: a maximum log-scale ({clamp}) applies only to the iaf family's affine autoregressive layers.", nameof(options));
        // the guide's own init checks reject a clamp not above −5 or a non-positive ν with one message naming the value
        AutoNormalizingFlow guide = (iaf, options.Preconditioner) switch
        {
            (true, { } p) => new AutoIafNormal(model, p, layers, options.Hidden)
            {
                MaximumLogScale = options.MaximumLogScale ?? 3.0, BaseDegreesOfFreedom = options.BaseDegreesOfFreedom,
            },
            (true, null) => new AutoIafNormal(model, layers, options.Hidden)
            {
                MaximumLogScale = options.MaximumLogScale ?? 3.0, BaseDegreesOfFreedom = options.BaseDegreesOfFreedom,
            },
            (false, { } p) => new AutoNormalizingFlow(model, p, Settings.Kind, layers, options.Hidden) { BaseDegreesOfFreedom = options.BaseDegreesOfFreedom },
            (false, null) => new AutoNormalizingFlow(model, Settings.Kind, layers, options.Hidden) { BaseDegreesOfFreedom = options.BaseDegreesOfFreedom },
        };
        return guide;
    }

    /// <inheritdoc/>
    public override AutoGuide Load(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, JsonObject settings) =>
        Settings.Kind == FlowKind.Iaf
            ? new AutoIafNormal(latents, maxPlateNesting, prefix, (int?)settings["layers"] ?? Settings.DefaultLayers, settings["hidden"]?.AsArray().Select(h => (int)h!).ToArray(),
                GaussianPreconditioner.FromJson(settings["preconditioner"])) { BaseDegreesOfFreedom = (double?)settings["base_df"], MaximumLogScale = (double?)settings["max_log_scale"] ?? 3.0 }
            : AutoNormalizingFlow.FromSettings(latents, maxPlateNesting, prefix, settings);
}
