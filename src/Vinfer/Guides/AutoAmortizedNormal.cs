using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// An automatic amortized guide (Pyro's autoguide for the globals plus its <c>guide(x)</c> encoder pattern for the
/// locals; Kingma and Welling, "Auto-encoding variational Bayes", 2014; Gershman and Goodman, "Amortized inference in
/// probabilistic reasoning", 2014). The model is traced once. A latent site that sits in one of the data plates
/// named in <c>plateData</c> — subsampled or not — is local: for the rows the plate selects, an encoder
/// <see cref="Mlp"/> maps each row's data (flattened) to the loc and softplus-scale of a diagonal normal over the
/// site's per-row unconstrained coordinates, pushed onto the support by the site's bijector as in ADVI. Every other
/// latent site is global and gets <see cref="AutoNormal"/>'s mean-field normal. The guide opens each data plate once,
/// so all local sites of a plate see the same subsample, and the model, replayed on the guide, sees it too; the
/// plate's size / subsample scaling makes the objective an unbiased estimate of the full-data one. Usable with
/// <see cref="Inference.Svi"/> and every objective (ELBO, IWAE, VR), like any automatic guide.
/// Parameters: <c>{prefix}.loc.{site}</c> and <c>{prefix}.scale.{site}</c> for globals,
/// <c>{prefix}.encoder.{site}.i.weight|bias</c> for the locals' encoders.
/// Limits: q(z_i | x_i) depends on row i's data only (not on the globals' draws), a diagonal normal per row; a local
/// site must sit in its data plate alone (no other plate); a saved file records the parameters but cannot be loaded
/// without the data.
/// </summary>
public sealed class AutoAmortizedNormal : AutoGuide
{
    private readonly IReadOnlyDictionary<string, Tensor> _plateData;
    private readonly int[] _hiddenSizes;
    private readonly Activation _activation;
    private readonly double _scaleOffset;
    private AutoNormal? _globals;
    private List<LocalGroup>? _groups;

    /// <summary>
    /// An amortized guide for <paramref name="model"/>. <paramref name="plateData"/> maps each data plate's name to the
    /// data its rows carry, first dimension = the plate's full size (row i is what the encoder of row i reads).
    /// <paramref name="hiddenSizes"/> are the encoders' hidden widths (empty: a linear encoder).
    /// </summary>
    public AutoAmortizedNormal(Action model, IReadOnlyDictionary<string, Tensor> plateData, IReadOnlyList<int>? hiddenSizes = null,
        Activation? activation = null, double initScale = 0.1, string prefix = "AutoAmortizedNormal") : base(model, prefix)
    {
        ArgumentNullException.ThrowIfNull(plateData);
        if (plateData.Count == 0) throw new ArgumentException("AutoAmortizedNormal: plateData names no data plate; use AutoNormal for a model without local latents.", nameof(plateData));
        foreach (var (name, data) in plateData)
            if (data is null || data.Rank < 1)
                throw new ArgumentException($"AutoAmortizedNormal: the data of plate '{name}' must have a first (row) dimension, got {(data is null ? "null" : "a scalar")}.", nameof(plateData));
        if (!(initScale > 0) || !double.IsFinite(initScale))
            throw new ArgumentOutOfRangeException(nameof(initScale), $"AutoAmortizedNormal: initScale must be positive and finite, got {initScale}.");
        _plateData = plateData;
        _hiddenSizes = [.. hiddenSizes ?? []];
        _activation = activation ?? Activation.Relu;
        InitScale = initScale;
        // softplus(0 + offset) = initScale: a fresh encoder whose scale outputs are near 0 starts at initScale
        _scaleOffset = Math.Log(Vinfer.Tensors.Kernels.SpecialFunctions.Expm1(initScale));
    }

    /// <inheritdoc/>
    public override string Family => "AutoAmortizedNormal";

    /// <summary>The initial standard deviation of every coordinate.</summary>
    public double InitScale { get; }

    /// <summary>The names of the local (amortized) latent sites.</summary>
    public IReadOnlyList<string> LocalSites => Groups.SelectMany(g => g.Sites.Select(s => s.Site.Name)).ToArray();

    /// <summary>The encoder of local site <paramref name="site"/>: row data [B, F] → [B, 2·m] (locs, then scales before softplus) for m unconstrained coordinates per row.</summary>
    public Mlp Encoder(string site) =>
        Groups.SelectMany(g => g.Sites).FirstOrDefault(s => s.Site.Name == site)?.Encoder
        ?? throw new ArgumentException($"AutoAmortizedNormal: '{site}' is not a local latent site (local: {string.Join(", ", LocalSites)}).", nameof(site));

    /// <inheritdoc/>
    protected override ModelPrototype Capture(Action model) => ModelPrototype.Capture(model, amortizedPlates: _plateData.Keys.ToArray());

    private List<LocalGroup> Groups
    {
        get
        {
            if (_groups is null) Classify();
            return _groups!;
        }
    }

    private void Classify()
    {
        var globals = new List<LatentSite>();
        var groups = new List<LocalGroup>();
        foreach (var site in Latents)
        {
            var dataFrames = site.Frames.Where(f => _plateData.ContainsKey(f.Name)).ToArray();
            if (dataFrames.Length == 0) { globals.Add(site); continue; }
            if (site.Frames.Count != 1)
                throw new NotSupportedException(
                    $"AutoAmortizedNormal: latent site '{site.Name}' sits in plates [{string.Join(", ", site.Frames.Select(f => f.Name))}]; an amortized local latent must sit in its data plate alone.");
            var frame = dataFrames[0];
            var data = _plateData[frame.Name];
            if (data.Dim(0) != frame.Size)
                throw new ArgumentException($"AutoAmortizedNormal: plate '{frame.Name}' has {frame.Size} rows but its data has first dimension {data.Dim(0)}.");
            // the plate's axis within the value's batch shape; every other batch axis must be 1, so the rows are outermost
            int axis = site.BatchRank + frame.Dim;
            if (axis < 0 || site.Shape[axis] != frame.SubsampleSize || site.Shape[..site.BatchRank].Where((d, i) => i != axis).Any(d => d != 1))
                throw new NotSupportedException(
                    $"AutoAmortizedNormal: latent site '{site.Name}' has shape [{string.Join(", ", site.Shape)}]; expected its batch shape to be plate '{frame.Name}' alone.");
            int perRow = site.UnconstrainedCount / frame.SubsampleSize;
            var group = groups.FirstOrDefault(g => g.Frame.Name == frame.Name);
            if (group is null)
            {
                int features = data.Count / frame.Size;
                // an unscoped copy: the guide may first run inside a TensorScope, and the rows outlive it
                group = new LocalGroup(frame, Tensor.Wrap(data.Detach().Span.ToArray(), frame.Size, features), []);
                groups.Add(group);
            }
            var encoder = new Mlp($"{Prefix}.encoder.{site.Name}", group.Rows.Dim(1), _hiddenSizes, 2 * perRow, _activation);
            group.Sites.Add(new LocalSite(site, axis, perRow, encoder));
        }
        _globals = globals.Count == 0 ? null : new AutoNormal(globals, MaxPlateNesting, Prefix);
        _groups = groups;
    }

    /// <inheritdoc/>
    protected override void CreateParameters()
    {
        _ = Groups;
        _globals?.InitializeParameters();
        foreach (var local in _groups!.SelectMany(g => g.Sites))
            foreach (var p in local.Encoder.AllParameters()) _ = p.Value;
    }

    /// <inheritdoc/>
    protected override void Body()
    {
        _ = Groups;
        _globals?.Run();
        foreach (var group in _groups!)
        {
            var f = group.Frame;
            bool subsampled = f.SubsampleSize != f.Size;
            using var plate = Primitives.Plate(f.Name, f.Size, subsampled ? f.SubsampleSize : null, dim: f.Dim);
            var rows = subsampled ? group.Rows.IndexSelect(0, plate.Indices) : group.Rows;
            foreach (var local in group.Sites)
            {
                var (loc, scale) = Parameters(local, rows);
                int eventDim = TransformedSite.UnconstrainedEventDim(local.Site);
                Distribution q = new Normal(loc, scale);
                if (eventDim > 0) q = q.ToEvent(eventDim);
                if (local.Site.IsUnconstrained) Primitives.Sample(local.Site.Name, q);
                else TransformedSite.Place(local.Site, Primitives.Auxiliary(local.Site.Name + "_unconstrained", q));
            }
        }
    }

    /// <summary>
    /// The loc and scale of q(u_i | x_i) for the local site <paramref name="site"/> at data rows <paramref name="rows"/>
    /// [B, …] (the unconstrained coordinates, shaped as the site's unconstrained value with B rows).
    /// </summary>
    public (Tensor Loc, Tensor Scale) LocalParameters(string site, Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var local = Groups.SelectMany(g => g.Sites).FirstOrDefault(s => s.Site.Name == site)
            ?? throw new ArgumentException($"AutoAmortizedNormal: '{site}' is not a local latent site (local: {string.Join(", ", LocalSites)}).", nameof(site));
        return Parameters(local, rows.Reshape(rows.Dim(0), local.Encoder.InputSize));
    }

    private (Tensor Loc, Tensor Scale) Parameters(LocalSite local, Tensor rows)
    {
        int b = rows.Dim(0), m = local.PerRow;
        var h = local.Encoder.Forward(rows);
        var shape = local.Site.UnconstrainedShape.ToArray();
        shape[local.Axis] = b;
        var loc = h.Narrow(1, 0, m).Reshape(shape);
        var scale = (h.Narrow(1, m, m) + _scaleOffset).Softplus().Reshape(shape);
        return (loc, scale);
    }

    /// <inheritdoc/>
    protected override void WriteSettings(JsonObject settings)
    {
        settings["hidden_sizes"] = new JsonArray(_hiddenSizes.Select(h => (JsonNode)h).ToArray());
        settings["activation"] = _activation.ToString();
        settings["local_sites"] = new JsonArray(LocalSites.Select(s => (JsonNode)s).ToArray());
    }

    private sealed record LocalSite(LatentSite Site, int Axis, int PerRow, Mlp Encoder);

    private sealed record LocalGroup(PlateFrame Frame, Tensor Rows, List<LocalSite> Sites);
}
