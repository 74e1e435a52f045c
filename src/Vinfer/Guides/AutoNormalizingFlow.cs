using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Flows;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// A normalizing-flow guide over the flat vector of unconstrained latents (Rezende and Mohamed, "Variational Inference
/// with Normalizing Flows", ICML 2015; Pyro's <c>AutoNormalizingFlow</c>): a diagonal Gaussian base
/// (<c>{prefix}.loc</c> = 0, <c>{prefix}.scale</c> = <see cref="InitScale"/> at the start) pushed through
/// <see cref="Layers"/> learnable flow layers of one <see cref="FlowKind"/>, whose parameters are named
/// <c>{prefix}.layer{k}.…</c>. The density of a draw is the base density minus the layers' log|det J|; draws are
/// reparameterized. Flows without a closed-form inverse (planar) evaluate the density of their own draws only, from
/// the cached forward pass, so sticking-the-landing (which re-evaluates a draw with detached parameters) is not
/// used with this family. With a <see cref="Preconditioner"/> (m, P) the flow acts on whitened coordinates w and the
/// latent vector is m + P w, as for the Gaussian families: the guide then starts at Pathfinder's normal
/// (<see cref="Inference.AdviInitialization"/>) instead of a unit Gaussian at the origin, whose draws can land where a
/// model's log density is astronomically small (an ARMA recursion with |θ| &gt; 1 gives log p ≈ −10¹³⁴) and whose
/// gradients then swamp Adam's second-moment estimates for the rest of the fit. With
/// <see cref="BaseDegreesOfFreedom"/> the base is a product of Student's t with a learned ν per coordinate
/// (<c>{prefix}.df</c>) instead of the Gaussian: the tail-adaptive base of Jaini et al. ("Tails of Lipschitz
/// triangular flows", ICML 2020) and Liang et al. ("Fat-tailed variational inference with anisotropic tail adaptive
/// flows", ICML 2022). An affine or Lipschitz flow cannot turn a Gaussian base's light tails into heavy ones, so a
/// heavy-tailed target (the funnel's xᵢ, a Gaussian scale mixture) needs the tails in the base.
/// </summary>
public class AutoNormalizingFlow : FlatLatentGuide
{
    private FlowModule[]? _modules;

    /// <summary>A flow guide for <paramref name="model"/> with <paramref name="layers"/> layers of <paramref name="kind"/> and network widths <paramref name="hiddenSizes"/>.</summary>
    public AutoNormalizingFlow(Action model, FlowKind kind = FlowKind.Iaf, int layers = 2, IReadOnlyList<int>? hiddenSizes = null, double initScale = 1.0, string prefix = "AutoNormalizingFlow")
        : base(model, prefix)
    {
        Kind = kind;
        Layers = layers >= 1 ? layers : throw new ArgumentOutOfRangeException(nameof(layers), $"{prefix}: the number of flow layers must be at least 1, got {layers}.");
        HiddenSizes = CheckHidden(hiddenSizes, prefix);
        InitScale = initScale > 0 && double.IsFinite(initScale) ? initScale : throw new ArgumentOutOfRangeException(nameof(initScale), $"{prefix}: initScale must be positive and finite, got {initScale}.");
    }

    /// <summary>A flow guide fitted in the whitened coordinates of <paramref name="preconditioner"/> (see the class remarks).</summary>
    public AutoNormalizingFlow(Action model, GaussianPreconditioner preconditioner, FlowKind kind = FlowKind.Iaf, int layers = 2, IReadOnlyList<int>? hiddenSizes = null, double initScale = 1.0, string prefix = "AutoNormalizingFlow")
        : this(model, kind, layers, hiddenSizes, initScale, prefix)
    {
        Preconditioner = preconditioner ?? throw new ArgumentNullException(nameof(preconditioner));
    }

    internal AutoNormalizingFlow(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, FlowKind kind, int layers, IReadOnlyList<int>? hiddenSizes,
        GaussianPreconditioner? preconditioner = null)
        : base(latents, maxPlateNesting, prefix)
    {
        Kind = kind;
        Layers = layers;
        HiddenSizes = hiddenSizes;
        Preconditioner = preconditioner;
    }

    /// <summary>The whitening the flow is fitted in (latent = m + P·flow draw), or null for none.</summary>
    public GaussianPreconditioner? Preconditioner { get; private init; }

    private static int[]? CheckHidden(IReadOnlyList<int>? hiddenSizes, string prefix)
    {
        if (hiddenSizes is null) return null;
        for (int i = 0; i < hiddenSizes.Count; i++)
            if (hiddenSizes[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(hiddenSizes), $"{prefix}: hidden size {hiddenSizes[i]} at index {i} must be positive (hidden sizes: [{string.Join(", ", hiddenSizes)}]).");
        return [.. hiddenSizes];
    }

    /// <inheritdoc/>
    public override string Family => "AutoNormalizingFlow";

    /// <summary>The kind of layer stacked.</summary>
    public FlowKind Kind { get; }

    /// <summary>The number of flow layers.</summary>
    public int Layers { get; }

    /// <summary>The network widths; null for the default, one hidden layer of max(3d + 3, 16) units (Pyro's AutoIAFNormal uses 3d + 3).</summary>
    public IReadOnlyList<int>? HiddenSizes { get; }

    /// <summary>The base's initial standard deviation.</summary>
    public double InitScale { get; } = 1.0;

    /// <summary>
    /// Null (the default) for a Gaussian base; otherwise the initial degrees of freedom ν of a Student-t base, learned
    /// per coordinate (see the class remarks). Must be positive and finite.
    /// </summary>
    public double? BaseDegreesOfFreedom
    {
        get => _baseDegreesOfFreedom;
        init => _baseDegreesOfFreedom = value is null or (> 0 and < double.PositiveInfinity) ? value
            : throw new ArgumentOutOfRangeException(nameof(BaseDegreesOfFreedom), $"{Prefix}: the base's degrees of freedom must be positive and finite, got {value}.");
    }

    private readonly double? _baseDegreesOfFreedom;

    /// <summary>IAF and MAF layers: the upper clamp of each layer's log-scale (<see cref="AffineAutoregressiveModule.MaximumLogScale"/>; Pyro's 3 by default).</summary>
    public double MaximumLogScale
    {
        get => _maximumLogScale;
        init => _maximumLogScale = value > AffineAutoregressiveModule.MinimumLogScale && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(MaximumLogScale), $"{Prefix}: the maximum log-scale must be finite and above the minimum {AffineAutoregressiveModule.MinimumLogScale}, got {value}.");
    }

    private readonly double _maximumLogScale = 3.0;

    /// <summary>The network widths used for latent dimension d.</summary>
    public IReadOnlyList<int> EffectiveHiddenSizes => HiddenSizes ?? [Math.Max(3 * LatentDimension + 3, 16)];

    /// <summary>The flow layers in application order (reversal permutations between autoregressive and coupling layers).</summary>
    public IReadOnlyList<FlowModule> Modules => _modules ??= BuildModules();

    private FlowModule[] BuildModules()
    {
        int d = LatentDimension;
        var hidden = EffectiveHiddenSizes;
        var modules = new List<FlowModule>();
        for (int k = 0; k < Layers; k++)
        {
            string name = $"{Prefix}.layer{k}";
            bool permute = k > 0 && d > 1;
            switch (Kind)
            {
                case FlowKind.Planar: modules.Add(new PlanarFlowModule(name, d)); break;
                case FlowKind.Radial: modules.Add(new RadialFlowModule(name, d)); break;
                case FlowKind.AffineCoupling:
                    if (d < 2) throw new InvalidOperationException($"{Family}: coupling layers need at least 2 unconstrained latent coordinates, the model has {d}; use the iaf family.");
                    if (permute) modules.Add(new PermutationModule($"{name}.reverse", d));
                    modules.Add(new AffineCouplingModule(name, d, hidden));
                    modules.Add(new ActNormModule($"{name}.actnorm", d));
                    break;
                case FlowKind.Iaf:
                case FlowKind.Maf:
                    if (permute) modules.Add(new PermutationModule($"{name}.reverse", d));
                    modules.Add(new AffineAutoregressiveModule(name, d, hidden, inverse: Kind == FlowKind.Maf) { MaximumLogScale = MaximumLogScale });
                    break;
                case FlowKind.SplineCoupling when d >= 2:
                    if (permute) modules.Add(new PermutationModule($"{name}.reverse", d));
                    modules.Add(new SplineCouplingModule(name, d, hidden));
                    modules.Add(new ActNormModule($"{name}.actnorm", d));
                    break;
                case FlowKind.SplineCoupling:
                case FlowKind.SplineAutoregressive:
                    if (permute) modules.Add(new PermutationModule($"{name}.reverse", d));
                    modules.Add(new SplineAutoregressiveModule(name, d, hidden));
                    modules.Add(new ActNormModule($"{name}.actnorm", d));
                    break;
                default: throw new InvalidOperationException($"{Family}: unknown flow kind {Kind}.");
            }
        }
        return [.. modules];
    }

    /// <inheritdoc/>
    protected override void CreateParameters()
    {
        LatentDistribution();
        foreach (var m in Modules) _ = m.Parameters().Count();
    }

    /// <inheritdoc/>
    public override Distribution LatentDistribution()
    {
        int d = LatentDimension;
        var loc = Primitives.Param($"{Prefix}.loc", () => Tensor.Zeros(d));
        var scale = Primitives.Param($"{Prefix}.scale", () => Tensor.Full(InitScale, d), Constraints.Positive);
        var flows = Modules.Select(m => (Bijector)m.Build());
        if (Preconditioner is { } p) flows = flows.Append(new CachedBijector(new TriangularAffineBijector(p.ShiftTensor(), p.FactorTensor())));
        Distribution baseDistribution = BaseDegreesOfFreedom is { } df
            ? new StudentT(Primitives.Param($"{Prefix}.df", () => Tensor.Full(df, d), Constraints.Positive), loc, scale, validateArgs: false)
            : new Normal(loc, scale, validateArgs: false);
        return new TransformedDistribution(baseDistribution.ToEvent(1), flows.ToArray());
    }

    /// <inheritdoc/>
    protected override void WriteSettings(JsonObject settings)
    {
        settings["kind"] = Kind.ToString();
        settings["layers"] = Layers;
        if (HiddenSizes is not null) settings["hidden"] = new JsonArray(HiddenSizes.Select(h => (JsonNode)h).ToArray());
        if (BaseDegreesOfFreedom is { } df) settings["base_df"] = df;
        if (MaximumLogScale != 3.0) settings["max_log_scale"] = MaximumLogScale;
        if (Preconditioner is not null) settings["preconditioner"] = Preconditioner.ToJson();
    }

    internal static AutoNormalizingFlow FromSettings(IReadOnlyList<LatentSite> sites, int nesting, string prefix, JsonObject settings)
    {
        var kind = Enum.Parse<FlowKind>((string?)settings["kind"] ?? nameof(FlowKind.Iaf));
        int layers = (int?)settings["layers"] ?? 2;
        var hidden = settings["hidden"]?.AsArray().Select(h => (int)h!).ToArray();
        return new AutoNormalizingFlow(sites, nesting, prefix, kind, layers, hidden, GaussianPreconditioner.FromJson(settings["preconditioner"]))
        {
            BaseDegreesOfFreedom = (double?)settings["base_df"],
            MaximumLogScale = (double?)settings["max_log_scale"] ?? 3.0,
        };
    }
}
