namespace Vinfer;

/// <summary>Library-wide facts.</summary>
public static class VinferInfo
{
    /// <summary>The library version, as built.</summary>
    public static string Version => typeof(VinferInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
