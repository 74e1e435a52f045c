using System.Text.Json.Nodes;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// The normalizing-flow families (<see cref="AutoNormalizingFlow"/>, Rezende and Mohamed 2015): <c>--family flow</c>
/// (RealNVP affine coupling with ActNorm, 4 layers), <c>iaf</c> (<see cref="AutoIafNormal"/>, 2 layers), <c>nsf</c>
/// (rational-quadratic spline coupling, 4 layers) and <c>planar</c> (8 layers). Fitted with the plain reparameterized
/// gradient (a planar flow cannot invert a draw made with detached parameters) and a fifth of the learning rate.
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
    public override bool SupportsStickingTheLanding => false;

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
