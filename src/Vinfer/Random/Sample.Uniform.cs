namespace Vinfer.Random;

public static partial class Sample
{
    /// <summary>
    /// Uniform draws in the open interval (0, 1): values (2k + 1)·2^-53, k uniform on [0, 2^52), from 64 Philox bits
    /// (see <see cref="Philox4x32.ToOpenUnit"/>). Never 0 nor 1.
    /// </summary>
    public static unsafe void Uniform(RandomKey key, Span<double> destination) =>
        BlockTiles.Fill(TileKind.Uniform, TileTransform.None, key, default, default, destination);

    /// <summary>
    /// Uniform draws between low and high: low + (high − low)·u with u from <see cref="Uniform(RandomKey, Span{double})"/>;
    /// in [low, high) up to rounding, which can occasionally give exactly high.
    /// </summary>
    public static unsafe void Uniform(RandomKey key, double low, double high, Span<double> destination)
    {
        SamplerArguments.Finite(nameof(Uniform), nameof(low), low);
        SamplerArguments.Finite(nameof(Uniform), nameof(high), high);
        if (!(low < high))
            throw new ArgumentOutOfRangeException(nameof(high),
                $"Uniform: low must be < high, got low = {SamplerArguments.Show(low)}, high = {SamplerArguments.Show(high)}");
        BlockTiles.Fill(TileKind.Uniform, TileTransform.Interval, key, Scalar(&low), Scalar(&high), destination);
    }

    /// <summary>Uniform draws on [low[i], high[i]) per element.</summary>
    public static unsafe void Uniform(RandomKey key, ReadOnlySpan<double> low, ReadOnlySpan<double> high, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(Uniform), nameof(low), low.Length, destination.Length);
        SamplerArguments.SameLength(nameof(Uniform), nameof(high), high.Length, destination.Length);
        SamplerArguments.Finite(nameof(Uniform), nameof(low), low);
        SamplerArguments.Finite(nameof(Uniform), nameof(high), high);
        for (int i = 0; i < low.Length; i++)
            if (!(low[i] < high[i]))
                throw new ArgumentOutOfRangeException(nameof(high),
                    $"Uniform: low[{i}] must be < high[{i}], got low = {SamplerArguments.Show(low[i])}, high = {SamplerArguments.Show(high[i])}");
        fixed (double* lowPointer = low, highPointer = high)
            BlockTiles.Fill(TileKind.Uniform, TileTransform.Interval, key, PerElement(lowPointer), PerElement(highPointer), destination);
    }
}
