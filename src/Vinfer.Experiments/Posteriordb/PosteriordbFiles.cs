using Vinfer.Data;

namespace Vinfer.Experiments.Posteriordb;

/// <summary>
/// Where the posteriordb reference suite lives: the folder named by the environment variable
/// <c>VINFER_POSTERIORDB</c>, else the first <c>data/posteriordb</c> (the copy this repository carries and the tool package ships) or
/// <c>posteriordb</c> folder holding a manifest.json found walking up from the current directory or from the program's
/// directory. Nothing outside the repository or the installed tool is needed.
/// </summary>
public static class PosteriordbFiles
{
    /// <summary>The environment variable that names the suite's folder.</summary>
    public const string EnvironmentVariable = "VINFER_POSTERIORDB";

    /// <summary>The suite's folder, or null when none is found.</summary>
    public static string? FindDirectory()
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "data", "posteriordb"), Path.Combine(dir.FullName, "posteriordb") })
                    if (File.Exists(Path.Combine(candidate, "manifest.json"))) return candidate;
            }
        }
        return null;
    }

    /// <summary>The suite's folder; throws saying how to point at it when none is found.</summary>
    public static string RequireDirectory() => FindDirectory()
        ?? throw new DirectoryNotFoundException($"posteriordb: the reference suite was not found; set {EnvironmentVariable} to its folder (the one holding manifest.json).");

    /// <summary>The data of posterior <paramref name="name"/>, or null when the suite or the file is missing.</summary>
    public static StanData? TryLoadData(string name)
    {
        var dir = FindDirectory();
        if (dir is null) return null;
        var path = Path.Combine(dir, name, "data.json");
        return File.Exists(path) ? StanData.Load(path) : null;
    }
}
