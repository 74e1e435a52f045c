using Vinfer.IO;
using System.Text.Json.Nodes;
using Vinfer.Modeling;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// A variational family generated from a model's trace (Pyro's autoguides): the model is run once under a trace
/// handler, and each latent site's support picks the bijector from the unconstrained space the family lives in
/// (Kucukelbir et al., "Automatic differentiation variational inference", JMLR 2017). The guide is a program like
/// any other: <see cref="Run"/> samples every latent site of the model with the same names and plates, so it can be
/// used wherever a hand-written guide can. Its parameters live in the current <see cref="ParamStore"/> under
/// names starting with <see cref="Prefix"/>.
/// </summary>
public abstract class AutoGuide
{
    private IReadOnlyList<LatentSite>? _latents;
    private int _maxPlateNesting;
    private readonly Action? _model;

    /// <summary>A guide for <paramref name="model"/>, built on first use from a trace of it.</summary>
    protected AutoGuide(Action model, string prefix)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        Prefix = prefix;
    }

    /// <summary>A guide over known latent sites (a loaded guide: no model needed).</summary>
    protected AutoGuide(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix)
    {
        _latents = latents;
        _maxPlateNesting = maxPlateNesting;
        Prefix = prefix;
    }

    /// <summary>The start of every parameter name of this guide.</summary>
    public string Prefix { get; }

    /// <summary>The family's name in saved files (AutoNormal, AutoDelta…).</summary>
    public abstract string Family { get; }

    /// <summary>The latent sites the guide covers, in the model's order.</summary>
    public IReadOnlyList<LatentSite> Latents
    {
        get { Setup(); return _latents!; }
    }

    /// <summary>The model's plate depth (where the particle dimension goes).</summary>
    public int MaxPlateNesting
    {
        get { Setup(); return _maxPlateNesting; }
    }

    /// <summary>Total number of unconstrained latent coordinates.</summary>
    public int LatentDimension => Latents.Sum(l => l.UnconstrainedCount);

    /// <summary>True for families that put a point mass on each latent (MAP): they have no density to check with PSIS.</summary>
    public virtual bool IsPointEstimate => false;

    private void Setup()
    {
        if (_latents is not null) return;
        var proto = Capture(_model!);
        _maxPlateNesting = proto.MaxPlateNesting;
        _latents = proto.Latents;
        if (_latents.Count == 0) throw new InvalidOperationException($"{Family}: the model has no latent sample sites to fit.");
    }

    /// <summary>Reads the model's structure (a family that covers local latents in subsampled plates widens what is accepted).</summary>
    protected virtual ModelPrototype Capture(Action model) => ModelPrototype.Capture(model);

    /// <summary>The guide program: samples every latent site. Pass <c>guide.Run</c> where a guide delegate is expected.</summary>
    public void Run()
    {
        Setup();
        Body();
    }

    /// <summary>The guide's sampling statements.</summary>
    protected abstract void Body();

    /// <summary>Creates every parameter in the current store (without sampling), so optimizers see them before the first step.</summary>
    public void InitializeParameters()
    {
        Setup();
        using (new TensorScope()) CreateParameters();
    }

    /// <summary>Creates the parameters (by calling <c>Param</c> for each).</summary>
    protected abstract void CreateParameters();

    /// <summary>Opens the plates of a latent site (outermost first) for the duration of the returned scope.</summary>
    protected static IDisposable EnterPlates(LatentSite site)
    {
        var opened = new List<Plate>(site.Frames.Count);
        foreach (var f in site.Frames) opened.Add(Primitives.Plate(f.Name, f.Size, dim: f.Dim));
        return new PlateScope(opened);
    }

    private sealed class PlateScope(List<Plate> plates) : IDisposable
    {
        public void Dispose()
        {
            for (int i = plates.Count - 1; i >= 0; i--) plates[i].Dispose();
        }
    }

    /// <summary>Family-specific settings written to the saved file (for example the rank).</summary>
    protected virtual void WriteSettings(JsonObject settings) { }

    /// <summary>
    /// The guide (family, settings, latent sites) and its parameters from <paramref name="store"/> as one JSON
    /// document: enough to draw from the fitted posterior without the model.
    /// </summary>
    public JsonObject ToJson(ParamStore store)
    {
        var settings = new JsonObject();
        WriteSettings(settings);
        var sites = new JsonArray();
        foreach (var l in Latents) sites.Add((JsonNode)GuideFile.SiteToJson(l));
        var json = store.ToJson();
        var mine = new JsonArray();
        foreach (var p in json["params"]!.AsArray())
            if (((string)p!["name"]!).StartsWith(Prefix + ".", StringComparison.Ordinal)) mine.Add(p.DeepClone());
        json["params"] = mine;
        return new JsonObject
        {
            ["format"] = GuideFile.FormatName,
            ["version"] = GuideFile.FormatVersion,
            ["family"] = Family,
            ["prefix"] = Prefix,
            ["max_plate_nesting"] = MaxPlateNesting,
            ["settings"] = settings,
            ["sites"] = sites,
            ["store"] = json,
        };
    }

    /// <summary>Saves the guide and its parameters (atomically: temporary file, then rename).</summary>
    public void Save(string path, ParamStore store) => JsonFile.WriteAtomic(path, ToJson(store));
}
