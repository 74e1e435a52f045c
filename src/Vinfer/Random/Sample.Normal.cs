namespace Vinfer.Random;

public static partial class Sample
{
    /// <summary>
    /// Standard normal draws by the Box–Muller transform (Box and Muller, "A note on the generation of random
    /// normal deviates", Ann. Math. Statist. 29, 1958), vectorized with TensorPrimitives over tiles of 128.
    /// </summary>
    /// <remarks>
    /// Chosen over the ziggurat because it is exact in distribution (no tabulated approximation, no rejection
    /// branch), needs exactly one Philox block per pair of outputs (so it vectorizes and stays counter-based),
    /// and its accuracy in the tails is that of log and sin/cos: the tail is exact out to |z| = 8.57, where the
    /// 2^-53 resolution of the uniform ends (the probability beyond is about 1e-17).
    /// </remarks>
    public static unsafe void Normal(RandomKey key, Span<double> destination) =>
        BlockTiles.Fill(TileKind.Normal, TileTransform.None, key, default, default, destination);

    /// <summary>
    /// Elements <paramref name="offset"/> … <paramref name="offset"/> + n − 1 of the standard normal stream that
    /// <see cref="Normal(RandomKey, Span{double})"/> fills from element 0 (the stream is counter-based, so a slice costs
    /// only the tiles it touches): a process holding rows [offset, offset + n) of a long vector draws exactly what a
    /// process holding all of it draws there.
    /// </summary>
    public static unsafe void NormalRange(RandomKey key, long offset, Span<double> destination)
    {
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), offset, "NormalRange: the offset must be 0 or more.");
        fixed (double* output = destination)
            BlockTiles.FillRange(TileKind.Normal, TileTransform.None, key, default, default, output - offset, offset, destination.Length);
    }

    /// <summary>Normal draws with a common mean and standard deviation: mean + std·z.</summary>
    public static unsafe void Normal(RandomKey key, double mean, double std, Span<double> destination)
    {
        SamplerArguments.Finite(nameof(Normal), nameof(mean), mean);
        SamplerArguments.Positive(nameof(Normal), nameof(std), std);
        BlockTiles.Fill(TileKind.Normal, TileTransform.Affine, key, Scalar(&mean), Scalar(&std), destination);
    }

    /// <summary>Normal draws with per-element mean[i] and std[i].</summary>
    public static unsafe void Normal(RandomKey key, ReadOnlySpan<double> mean, ReadOnlySpan<double> std, Span<double> destination)
    {
        SamplerArguments.SameLength(nameof(Normal), nameof(mean), mean.Length, destination.Length);
        SamplerArguments.SameLength(nameof(Normal), nameof(std), std.Length, destination.Length);
        SamplerArguments.Finite(nameof(Normal), nameof(mean), mean);
        SamplerArguments.Positive(nameof(Normal), nameof(std), std);
        fixed (double* meanPointer = mean, stdPointer = std)
            BlockTiles.Fill(TileKind.Normal, TileTransform.Affine, key, PerElement(meanPointer), PerElement(stdPointer), destination);
    }
}
