using System.Text.Json.Nodes;
using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// The versioned file a fitted automatic guide saves to: family, settings, latent sites (name, shape, event
/// dimensions, support, plates) and the guide's parameters. Loading needs no model code: the family name picks the
/// <see cref="VariationalFamily"/> (from <see cref="VariationalFamilies"/>) that rebuilds the guide.
/// </summary>
public static class GuideFile
{
    /// <summary>The format's name, written in every file.</summary>
    public const string FormatName = "vinfer.guide";

    /// <summary>The format's version; this build reads this version and older.</summary>
    public const int FormatVersion = 1;

    /// <summary>A loaded guide with the store holding its parameters.</summary>
    public sealed record Loaded(AutoGuide Guide, ParamStore Store);

    /// <summary>Reads a guide saved by <see cref="AutoGuide.Save"/>.</summary>
    public static Loaded Load(string path) => FromJson(JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException($"{path}: empty file."));

    /// <summary>Rebuilds a guide from <see cref="AutoGuide.ToJson"/>'s output.</summary>
    public static Loaded FromJson(JsonNode node)
    {
        if (node is not JsonObject o || (string?)o["format"] != FormatName)
            throw new FormatException($"Not a Vinfer guide file (expected \"format\": \"{FormatName}\").");
        int version = (int?)o["version"] ?? throw new FormatException("Guide file: missing \"version\".");
        if (version < 1 || version > FormatVersion)
            throw new FormatException($"Guide file: version {version} is not supported (this build reads 1…{FormatVersion}).");
        string family = (string?)o["family"] ?? throw new FormatException("Guide file: missing \"family\".");
        string prefix = (string?)o["prefix"] ?? family;
        int nesting = (int?)o["max_plate_nesting"] ?? 0;
        var sites = o["sites"]!.AsArray().Select(s => SiteFromJson(s!)).ToList();
        var settings = o["settings"] as JsonObject ?? new JsonObject();
        var store = ParamStore.FromJson(o["store"]!);
        if (!VariationalFamilies.TryGetByFileFamily(family, out var definition))
            throw new FormatException($"Guide file: unknown family '{family}' (known: {string.Join(", ", VariationalFamilies.All.Select(f => f.FileFamily))}).");
        var guide = definition.Load(sites, nesting, prefix, settings);
        return new Loaded(guide, store);
    }

    internal static JsonObject SiteToJson(LatentSite l)
    {
        var frames = new JsonArray();
        foreach (var f in l.Frames) frames.Add((JsonNode)new JsonObject { ["name"] = f.Name, ["size"] = f.Size, ["dim"] = f.Dim });
        return new JsonObject
        {
            ["name"] = l.Name,
            ["shape"] = new JsonArray(l.Shape.Select(d => (JsonNode)d).ToArray()),
            ["event_dim"] = l.EventDim,
            ["support"] = ConstraintCodec.Encode(l.Support),
            ["plates"] = frames,
            ["unconstrained_shape"] = new JsonArray(l.UnconstrainedShape.Select(d => (JsonNode)d).ToArray()),
        };
    }

    internal static LatentSite SiteFromJson(JsonNode s)
    {
        var frames = s["plates"]!.AsArray().Select(f => new PlateFrame((string)f!["name"]!, (int)f["size"]!, (int)f["size"]!, (int)f["dim"]!)).ToArray();
        return new LatentSite(
            (string)s["name"]!,
            s["shape"]!.AsArray().Select(d => (int)d!).ToArray(),
            (int)s["event_dim"]!,
            ConstraintCodec.Decode((string)s["support"]!),
            frames,
            s["unconstrained_shape"]!.AsArray().Select(d => (int)d!).ToArray());
    }
}
