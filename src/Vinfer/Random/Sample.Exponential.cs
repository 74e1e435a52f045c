namespace Vinfer.Random;

public static partial class Sample
{
    /// <summary>Standard exponential draws (rate 1) by inversion, −log u (Devroye 1986, §II.2), vectorized.</summary>
    public static unsafe void Exponential(RandomKey key, Span<double> destination) =>
        BlockTiles.Fill(TileKind.Exponential, TileTransform.None, key, default, default, destination);

    /// <summary>Exponential draws with a common rate: E/rate.</summary>
    public static unsafe void Exponential(RandomKey key, double rate, Span<double> destination)
    {
        SamplerArguments.Positive(nameof(Exponential), nameof(rate), rate);
        BlockTiles.Fill(TileKind.Exponential, TileTransform.Divide, key, Scalar(&rate), default, destination);
    }

    /// <summary>Exponential draws with per-element rate[i].</summary>
    public static unsafe void Exponential(RandomKey key, ReadOnlySpan<double> rate, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(Exponential), nameof(rate), rate.Length, destination.Length);
        SamplerArguments.Positive(nameof(Exponential), nameof(rate), rate);
        fixed (double* ratePointer = rate)
            BlockTiles.Fill(TileKind.Exponential, TileTransform.Divide, key, PerElement(ratePointer), default, destination);
    }
}
