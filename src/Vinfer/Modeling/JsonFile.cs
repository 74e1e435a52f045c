using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vinfer.Modeling;

/// <summary>Writes JSON documents so that a reader never sees a half-written file.</summary>
internal static class JsonFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    internal static void WriteAtomic(string path, JsonNode node)
    {
        var full = Path.GetFullPath(path);
        var tmp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllText(tmp, node.ToJsonString(Indented));
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
