namespace Vinfer.Modeling.Handlers;

/// <summary>Multiplies the log-density of every sample site by a positive factor (Pyro's <c>scale</c>).</summary>
public sealed class ScaleMessenger : Messenger
{
    private readonly double _factor;

    /// <summary>A handler scaling by <paramref name="factor"/> (positive and finite).</summary>
    public ScaleMessenger(double factor)
    {
        if (!(factor > 0) || double.IsInfinity(factor))
            throw new ArgumentOutOfRangeException(nameof(factor), $"ScaleMessenger: factor must be positive and finite, got {factor}.");
        _factor = factor;
    }

    /// <inheritdoc/>
    protected internal override void ProcessMessage(Site site)
    {
        if (site.Kind == SiteKind.Sample) site.Scale *= _factor;
    }
}
