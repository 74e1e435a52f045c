using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vinfer.IO;

/// <summary>Writes JSON documents so that a reader never sees a half-written file (through <see cref="AtomicFile"/>).</summary>
internal static class JsonFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    internal static void WriteAtomic(string path, JsonNode node) => AtomicFile.WriteAllText(path, node.ToJsonString(Indented));
}
