using System.Text;

namespace Vinfer.IO;

/// <summary>
/// Output files that appear whole or not at all: content goes to a temporary file in the destination folder, which is
/// renamed over the destination only when writing succeeded (a rename within one file system is atomic), so readers
/// never see a partial file and failures leave nothing behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes through <paramref name="write"/> (UTF-8, no BOM, '\n' line ends), then renames into place.</summary>
    public static void Write(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteStreams([(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            write(writer);
        })]);
    }

    /// <summary>Writes <paramref name="contents"/> atomically.</summary>
    public static void WriteAllText(string path, string contents) => Write(path, w => w.Write(contents));

    /// <summary>Writes <paramref name="bytes"/> atomically.</summary>
    public static void WriteBytes(string path, byte[] bytes) => WriteStreams([(path, s => s.Write(bytes))]);

    /// <summary>
    /// Writes several text files: every temporary file is written first and only then are they renamed, so a failure
    /// while producing any of them leaves all destinations untouched.
    /// </summary>
    public static void WriteAll(IReadOnlyList<(string Path, string Content)> files)
    {
        var writers = new List<(string, Action<Stream>)>(files.Count);
        foreach (var (path, content) in files)
            writers.Add((path, s => s.Write(new UTF8Encoding(false).GetBytes(content))));
        WriteStreams(writers);
    }

    private static void WriteStreams(IReadOnlyList<(string Path, Action<Stream> Write)> files)
    {
        var temps = new List<(string Temp, string Final)>(files.Count);
        try
        {
            foreach (var (path, write) in files)
            {
                ArgumentException.ThrowIfNullOrEmpty(path);
                string full = Path.GetFullPath(path);
                string directory = Path.GetDirectoryName(full) ?? ".";
                Directory.CreateDirectory(directory);
                string temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
                temps.Add((temp, full));
                using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            foreach (var (temp, final) in temps) File.Move(temp, final, overwrite: true);
        }
        finally
        {
            foreach (var (temp, _) in temps)
                try { if (File.Exists(temp)) File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
