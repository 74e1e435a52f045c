namespace Vinfer.Data;

/// <summary>Reading a user's data file, with the one error every reader reports when the file cannot be read.</summary>
internal static class DataFile
{
    /// <summary>The file's text; a <see cref="DataFormatException"/> naming the path when it cannot be read.</summary>
    public static string ReadAllText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
    }
}
