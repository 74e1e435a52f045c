using Vinfer.Data;
using System.Text.Json;

namespace Vinfer.Experiments.Posteriordb;

/// <summary>One reference quantity of a posteriordb posterior: its Stan name, mean and sd over the gold-standard draws.</summary>
public sealed record ReferenceQuantity(string Name, double Mean, double Sd, bool Derived);

/// <summary>The gold-standard summaries in a posteriordb folder's reference.json (long NUTS runs, posteriordb).</summary>
public static class PosteriordbReference
{
    /// <summary>The quantities of <paramref name="path"/>'s "parameters" list, in file order.</summary>
    public static IReadOnlyList<ReferenceQuantity> Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("parameters", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new DataFormatException($"{path}: no 'parameters' list.");
        var result = new List<ReferenceQuantity>();
        foreach (var p in list.EnumerateArray())
        {
            string name = p.GetProperty("name").GetString() ?? throw new DataFormatException($"{path}: a parameter has no name.");
            bool derived = p.TryGetProperty("derived", out var d) && d.ValueKind == JsonValueKind.True;
            result.Add(new ReferenceQuantity(name, p.GetProperty("mean").GetDouble(), p.GetProperty("sd").GetDouble(), derived));
        }
        return result;
    }
}
