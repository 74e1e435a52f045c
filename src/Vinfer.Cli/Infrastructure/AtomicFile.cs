using System.Text;

namespace Vinfer.Cli.Infrastructure;

/// <summary>
/// Output files that appear whole or not at all: content goes to a temporary file in the destination folder, which
/// is then renamed over the destination (a rename within one file system is atomic).
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> (UTF-8, no BOM) to <paramref name="path"/> via temp file + rename.</summary>
    public static void WriteAllText(string path, string content) => WriteAll([(path, content)]);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> via temp file + rename.</summary>
    public static void WriteBytes(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Writes several files: all temporary files are written first and only then renamed, so a failure while
    /// producing any of them leaves none of the destinations touched.
    /// </summary>
    public static void WriteAll(IReadOnlyList<(string Path, string Content)> files)
    {
        var temps = new List<(string Temp, string Final)>();
        try
        {
            foreach (var (path, content) in files)
            {
                string full = Path.GetFullPath(path);
                string directory = Path.GetDirectoryName(full) ?? ".";
                Directory.CreateDirectory(directory);
                string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
                temps.Add((temp, full));
                File.WriteAllText(temp, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            }
            foreach (var (temp, final) in temps)
                File.Move(temp, final, overwrite: true);
        }
        finally
        {
            foreach (var (temp, _) in temps)
                if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
