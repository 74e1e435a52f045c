using Vinfer.Random;

namespace Vinfer.Modeling.Handlers;

/// <summary>
/// Supplies the random stream for draws inside it (NumPyro's <c>seed</c>): same seed and same model, bit-identical
/// draws. Sample sites take their draws from it in execution order.
/// </summary>
public sealed class SeedMessenger : Messenger
{
    /// <summary>The stream the draws come from.</summary>
    public RandomStream Stream { get; }

    /// <summary>Seeds with a stream (shared: its position advances).</summary>
    public SeedMessenger(RandomStream stream) => Stream = stream;

    /// <summary>Seeds with a fresh stream for <paramref name="seed"/>.</summary>
    public SeedMessenger(ulong seed) : this(new RandomStream(seed)) { }

    /// <inheritdoc/>
    protected internal override void ProcessMessage(Site site)
    {
        if (site.Kind is SiteKind.Sample or SiteKind.Subsample && site.Value is null && site.Random is null) site.Random = Stream;
    }
}
