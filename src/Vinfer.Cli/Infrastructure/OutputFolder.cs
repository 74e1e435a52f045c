namespace Vinfer.Cli.Infrastructure;

/// <summary>
/// Checks an output folder before any work is done, so that a run whose results cannot be written fails in a second
/// rather than after the whole fit: the path must not be a file, and the folder (or the nearest existing folder above
/// it, where it will be created) must accept a new file.
/// </summary>
public static class OutputFolder
{
    /// <summary>Throws <see cref="IOException"/> naming <paramref name="option"/> and the path when the folder cannot be written.</summary>
    public static void Check(string? path, string option = "--out")
    {
        if (path is null) return;
        if (path.Length == 0) throw new IOException($"{option}: the folder path is empty.");
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new IOException($"{option} '{path}' is not a valid path: {e.Message}");
        }
        if (File.Exists(full)) throw new IOException($"{option} '{path}' is a file, not a folder.");
        // the nearest existing ancestor: every missing level below it is created at write time
        string? existing = full;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (File.Exists(existing)) throw new IOException($"{option} '{path}': '{existing}' is a file, so the folder cannot be created.");
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) throw new IOException($"{option} '{path}': no part of the path exists.");
        string probe = Path.Combine(existing, $".vinfer-write-check.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string where = existing == full ? "the folder" : $"'{existing}', where the folder would be created,";
            throw new IOException($"{option} '{path}' is not writable: {where} does not accept new files ({e.GetType().Name}).");
        }
        finally
        {
            try { if (File.Exists(probe)) File.Delete(probe); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
