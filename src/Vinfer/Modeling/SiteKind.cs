namespace Vinfer.Modeling;

/// <summary>What a <see cref="Site"/> stands for.</summary>
public enum SiteKind
{
    /// <summary>A random variable: <c>Sample(name, dist)</c> (latent) or <c>Sample(name, dist, observed)</c>.</summary>
    Sample,
    /// <summary>A learnable parameter: <c>Param(name, init, constraint)</c>.</summary>
    Param,
    /// <summary>A named function of other sites, recorded for the results: <c>Deterministic(name, value)</c>.</summary>
    Deterministic,
    /// <summary>The indices a subsampling plate drew (recorded so a guide's plate and the model's plate agree).</summary>
    Subsample,
}
