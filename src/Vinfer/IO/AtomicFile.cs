using System.Text;

namespace Vinfer.IO;

/// <summary>
/// Output files that appear whole or not at all: content goes to a temporary file in the destination folder, which is
/// renamed over the destination only when writing succeeded (a rename within one file system is atomic), so readers
/// never see a partial file and failures leave nothing behind. A process killed while writing cannot delete its
/// temporary file, so the name carries the writer's process id and every later write into the folder removes the
/// temporaries of writers that are no longer running.
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

    /// <summary>Writes through <paramref name="write"/>, which gets the temporary file's stream, then renames into place.</summary>
    public static void WriteStream(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteStreams([(path, write)]);
    }

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

    /// <summary>A fresh temporary path beside <paramref name="path"/>: <c>.NAME.PID.GUID.tmp</c>.</summary>
    public static string TemporaryPath(string path)
    {
        string full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>
    /// Deletes the temporaries in <paramref name="directory"/> (named by <see cref="TemporaryPath"/>) whose writing
    /// process is no longer running. Returns how many were removed. Files that cannot be deleted are left alone.
    /// </summary>
    public static int RemoveStaleTemporaries(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            if (ProcessIdOf(Path.GetFileName(file)) is not { } pid || IsRunning(pid)) continue;
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    /// <summary>The process id in a temporary's name <c>.NAME.PID.GUID.tmp</c> (GUID: 32 hex digits), or null.</summary>
    internal static int? ProcessIdOf(string fileName)
    {
        var parts = fileName.Split('.');
        // "", NAME…, PID, GUID, "tmp"
        if (parts.Length < 5 || parts[0].Length != 0 || parts[^1] != "tmp") return null;
        if (parts[^2].Length != 32 || !parts[^2].All(char.IsAsciiHexDigit)) return null;
        return int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
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
                RemoveStaleTemporaries(directory);
                string temp = TemporaryPath(full);
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
