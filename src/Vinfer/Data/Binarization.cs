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
    /// <summary>Writes into <paramref name="destination"/> a Bernoulli(<paramref name="intensities"/>) draw per pixel.</summary>
    public static void Draw(ReadOnlySpan<double> intensities, RandomKey key, Span<double> destination)
    {
        if (destination.Length != intensities.Length)
            throw new ArgumentException($"destination holds {destination.Length} values for {intensities.Length} intensities.", nameof(destination));
        Sample.Uniform(key, destination);
        for (int i = 0; i < intensities.Length; i++) destination[i] = destination[i] < intensities[i] ? 1 : 0;
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
    /// intensity with <paramref name="key"/>, row-major [indices.Count, PixelCount] in <paramref name="destination"/>.
    /// </summary>
    public static void Dynamic(ImageSet images, IReadOnlyList<int> indices, RandomKey key, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(indices);
        int p = images.PixelCount;
        if (destination.Length != indices.Count * p)
            throw new ArgumentException($"destination holds {destination.Length} values for {indices.Count} images of {p} pixels.", nameof(destination));
        var gathered = new double[indices.Count * p];
        for (int i = 0; i < indices.Count; i++) images.Image(indices[i]).CopyTo(gathered.AsSpan(i * p));
        Draw(gathered, key, destination);
    }
}
