using System.Text;

namespace Vinfer.Data;

/// <summary>
/// Writes a file all-or-nothing: the content goes to a temporary file in the same folder, which is renamed over the
/// destination only when writing succeeded, so readers never see a partial file and failures leave nothing behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> (UTF-8, no BOM, '\n' line ends) then renames into place.</summary>
    public static void Write(string path, Action<TextWriter> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" })
            {
                write(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>Writes <paramref name="contents"/> atomically.</summary>
    public static void WriteAllText(string path, string contents) => Write(path, w => w.Write(contents));
}
