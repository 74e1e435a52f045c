using Vinfer.Random;

namespace Vinfer.Data;

/// <summary>
/// A set of grey-level images of one size, intensities in [0, 1], stored row-major as [count, rows·columns], with an
/// optional integer label per image. The image sets of the VAE experiments (MNIST, Fashion-MNIST) are of this kind.
/// </summary>
public sealed class ImageSet
{
    /// <summary>Wraps pixel values (row-major [count, rows·columns], each in [0, 1]) and labels (one per image, or null).</summary>
    public ImageSet(string name, int rows, int columns, double[] pixels, int[]? labels)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pixels);
        if (rows < 1 || columns < 1) throw new ArgumentException($"image set '{name}': image size {rows}×{columns} must be positive.");
        int size = rows * columns;
        if (pixels.Length % size != 0)
            throw new ArgumentException($"image set '{name}': {pixels.Length} pixel values are not a whole number of {rows}×{columns} images.", nameof(pixels));
        int count = pixels.Length / size;
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"image set '{name}': {labels.Length} labels for {count} images.", nameof(labels));
        for (int i = 0; i < pixels.Length; i++)
            if (!(pixels[i] >= 0 && pixels[i] <= 1))
                throw new ArgumentException($"image set '{name}': pixel {i % size} of image {i / size} is {DataFormatException.FormatNumber(pixels[i])}, outside [0, 1].", nameof(pixels));
        Name = name;
        Rows = rows;
        Columns = columns;
        Pixels = pixels;
        Labels = labels;
    }

    /// <summary>The set's name in messages and results (e.g. <c>mnist-10k/test</c>).</summary>
    public string Name { get; }

    /// <summary>Image height.</summary>
    public int Rows { get; }

    /// <summary>Image width.</summary>
    public int Columns { get; }

    /// <summary>Pixels per image.</summary>
    public int PixelCount => Rows * Columns;

    /// <summary>Number of images.</summary>
    public int Count => Pixels.Length / PixelCount;

    /// <summary>All pixels, row-major [Count, PixelCount].</summary>
    public double[] Pixels { get; }

    /// <summary>The labels, or null.</summary>
    public int[]? Labels { get; }

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<double> Image(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"image set '{Name}': image {index} outside 0…{Count - 1}.");
        return Pixels.AsSpan(index * PixelCount, PixelCount);
    }

    /// <summary>The images at <paramref name="indices"/>, in that order, as a new set.</summary>
    public ImageSet Select(string name, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var pixels = new double[indices.Count * PixelCount];
        int[]? labels = Labels is null ? null : new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * PixelCount));
            if (labels is not null) labels[i] = Labels![indices[i]];
        }
        return new ImageSet(name, Rows, Columns, pixels, labels);
    }

    /// <summary>The first <paramref name="count"/> images (all of them if fewer).</summary>
    public ImageSet Take(int count) => Select(Name, Enumerable.Range(0, Math.Min(count, Count)).ToArray());

    /// <summary>
    /// Splits the set by a permutation drawn from <paramref name="seed"/>: the first <paramref name="testCount"/>
    /// shuffled images are the test set, the next <paramref name="validationCount"/> the validation set, the rest the
    /// training set. The same seed gives the same split on every machine.
    /// </summary>
    public ImageSplit Split(int validationCount, int testCount, ulong seed)
    {
        if (validationCount < 0 || testCount < 0 || validationCount + testCount >= Count)
            throw new ArgumentOutOfRangeException(nameof(validationCount),
                $"image set '{Name}': validation {validationCount} + test {testCount} images must leave training images out of {Count}.");
        var order = Permutation(Count, seed);
        return new ImageSplit(
            Select(Name + "/train", order[(validationCount + testCount)..]),
            Select(Name + "/validation", order[testCount..(testCount + validationCount)]),
            Select(Name + "/test", order[..testCount]));
    }

    /// <summary>Splits a validation set off this (training) set and keeps <paramref name="test"/> as the test set.</summary>
    public ImageSplit SplitValidation(int validationCount, ImageSet test, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (validationCount < 0 || validationCount >= Count)
            throw new ArgumentOutOfRangeException(nameof(validationCount), $"image set '{Name}': validation size {validationCount} must be below {Count}.");
        if (test.Rows != Rows || test.Columns != Columns)
            throw new ArgumentException($"test set '{test.Name}' has {test.Rows}×{test.Columns} images, training set '{Name}' {Rows}×{Columns}.", nameof(test));
        var order = Permutation(Count, seed);
        return new ImageSplit(Select(Name + "/train", order[validationCount..]), Select(Name + "/validation", order[..validationCount]), test);
    }

    /// <summary>A uniform random permutation of 0…n−1 (Fisher–Yates) from <paramref name="seed"/>.</summary>
    public static int[] Permutation(int n, ulong seed) => Permutation(n, new RandomKey(seed));

    /// <summary>A uniform random permutation of 0…n−1 (Fisher–Yates) from <paramref name="key"/>.</summary>
    public static int[] Permutation(int n, RandomKey key)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var u = new double[Math.Max(n, 1)];
        Sample.Uniform(key, u);
        for (int i = n - 1; i > 0; i--)
        {
            int j = Math.Min((int)(u[i] * (i + 1)), i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
