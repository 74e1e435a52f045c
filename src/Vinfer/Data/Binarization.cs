using Vinfer.Random;

namespace Vinfer.Data;

/// <summary>
/// Binarization of grey-level images for a Bernoulli likelihood, as in Burda, Grosse and Salakhutdinov (2016,
/// section 5.1): each pixel is 1 with probability equal to its intensity. <em>Static</em> binarization draws once
/// (a fixed binary data set, used for validation and test); <em>dynamic</em> binarization draws anew for every
/// mini-batch, which regularizes training. Draws come from a <see cref="RandomKey"/>, so both are reproducible.
/// </summary>
public static class Binarization
{
    /// <summary>
    /// Writes into <paramref name="destination"/> a Bernoulli(<paramref name="intensities"/>) draw per pixel: pixel i is
    /// 1 when u_i &lt; intensity_i, u_i being element i of <see cref="Sample.Uniform(RandomKey, Span{double})"/> with
    /// <paramref name="key"/>.
    /// </summary>
    public static void Draw(ReadOnlySpan<double> intensities, RandomKey key, Span<double> destination)
    {
        if (destination.Length != intensities.Length)
            throw new ArgumentException($"destination holds {destination.Length} values for {intensities.Length} intensities.", nameof(destination));
        DrawRange(intensities, key, 0, destination);
    }

    /// <summary>
    /// Pixels <paramref name="first"/> … of a draw with <paramref name="key"/>. Uniforms are open on (0, 1), so an
    /// intensity of 0 always gives 0 and one of 1 always gives 1 (most MNIST pixels are one or the other): only the
    /// pixels strictly between draw their uniform, from its own Philox block (two pixels per block), which gives the
    /// values of the full uniform fill without computing the rest of it. Serial: a batch is about 10,000 draws.
    /// </summary>
    private static void DrawRange(ReadOnlySpan<double> intensities, RandomKey key, long first, Span<double> destination)
    {
        long cachedBlock = -1;
        double even = 0, odd = 0;
        for (int i = 0; i < intensities.Length; i++)
        {
            double p = intensities[i];
            if (!(p > 0)) { destination[i] = 0; continue; } // also NaN, as u < NaN is false
            if (p >= 1) { destination[i] = 1; continue; }
            long e = first + i, block = e >> 1;
            if (block != cachedBlock) { (even, odd) = BlockTiles.UniformPair(key, block); cachedBlock = block; }
            destination[i] = ((e & 1) == 0 ? even : odd) < p ? 1 : 0;
        }
    }

    /// <summary>A statically binarized copy of <paramref name="images"/> (one draw per pixel from <paramref name="seed"/>).</summary>
    public static ImageSet Static(ImageSet images, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(images);
        var pixels = new double[images.Pixels.Length];
        Draw(images.Pixels, new RandomKey(seed), pixels);
        return new ImageSet(images.Name, images.Rows, images.Columns, pixels, images.Labels);
    }

    /// <summary>
    /// A dynamically binarized mini-batch: the images at <paramref name="indices"/>, each pixel drawn from its
    /// intensity with <paramref name="key"/>, row-major [indices.Length, PixelCount] in <paramref name="destination"/>
    /// (the same values as gathering the images and calling <see cref="Draw"/>, without the gathered copy).
    /// </summary>
    public static void Dynamic(ImageSet images, ReadOnlySpan<int> indices, RandomKey key, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(images);
        int p = images.PixelCount;
        if (destination.Length != indices.Length * p)
            throw new ArgumentException($"destination holds {destination.Length} values for {indices.Length} images of {p} pixels.", nameof(destination));
        for (int i = 0; i < indices.Length; i++)
            DrawRange(images.Image(indices[i]), key, (long)i * p, destination.Slice(i * p, p));
    }
}
