namespace Vinfer.Random;

public static partial class Sample
{
    /// <summary>Standard Gumbel (maximum) draws by inversion, −log(−log u) (Gumbel 1954), vectorized.</summary>
    public static unsafe void Gumbel(RandomKey key, Span<double> destination) =>
        BlockTiles.Fill(TileKind.Gumbel, TileTransform.None, key, default, default, destination);

    /// <summary>Gumbel draws with a common location and scale: location + scale·G.</summary>
    public static unsafe void Gumbel(RandomKey key, double location, double scale, Span<double> destination)
    {
        SamplerArguments.Finite(nameof(Gumbel), nameof(location), location);
        SamplerArguments.Positive(nameof(Gumbel), nameof(scale), scale);
        BlockTiles.Fill(TileKind.Gumbel, TileTransform.Affine, key, Scalar(&location), Scalar(&scale), destination);
    }

    /// <summary>Gumbel draws with per-element location[i] and scale[i].</summary>
    public static unsafe void Gumbel(RandomKey key, ReadOnlySpan<double> location, ReadOnlySpan<double> scale, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(Gumbel), nameof(location), location.Length, destination.Length);
        SamplerArguments.SameLength(nameof(Gumbel), nameof(scale), scale.Length, destination.Length);
        SamplerArguments.Finite(nameof(Gumbel), nameof(location), location);
        SamplerArguments.Positive(nameof(Gumbel), nameof(scale), scale);
        fixed (double* locationPointer = location, scalePointer = scale)
            BlockTiles.Fill(TileKind.Gumbel, TileTransform.Affine, key, PerElement(locationPointer), PerElement(scalePointer), destination);
    }
}
