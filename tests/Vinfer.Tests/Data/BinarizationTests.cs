using Vinfer.Data;
using Vinfer.Random;

namespace Vinfer.Tests.Data;

/// <summary>
/// The binarization draws only the uniforms of pixels strictly between 0 and 1; these tests pin it to the definition
/// (pixel i is 1 when element i of the full uniform fill is below its intensity), bit for bit.
/// </summary>
public class BinarizationTests
{
    /// <summary>The definition: the whole uniform fill, then the comparison (the code before the sparse draw).</summary>
    private static double[] Reference(ReadOnlySpan<double> intensities, RandomKey key)
    {
        var u = new double[intensities.Length];
        Sample.Uniform(key, u);
        for (int i = 0; i < u.Length; i++) u[i] = u[i] < intensities[i] ? 1 : 0;
        return u;
    }

    /// <summary>Grey levels as in MNIST: mostly exactly 0 or 1, some in between (and a few at the interval's ends' neighbours).</summary>
    private static double[] Intensities(int count, ulong seed)
    {
        var u = new double[count];
        Sample.Uniform(new RandomKey(seed), u);
        var x = new double[count];
        for (int i = 0; i < count; i++)
            x[i] = u[i] < 0.6 ? 0 : u[i] < 0.75 ? 1 : u[i] < 0.76 ? (i % 2 == 0 ? 1e-12 : 1 - 1e-12) : (u[i] - 0.76) / 0.24;
        return x;
    }

    [Fact]
    public void DrawEqualsTheFullUniformFillComparedWithTheIntensities()
    {
        // odd length and above the parallel-fill threshold (65,536), so the reference takes its parallel path
        var intensities = Intensities(70_001, 11);
        var key = new RandomKey(5).Child(3);
        var drawn = new double[intensities.Length];
        Binarization.Draw(intensities, key, drawn);
        Assert.Equal(Reference(intensities, key), drawn);
        Assert.Contains(drawn.Where((v, i) => intensities[i] is > 0 and < 1), v => v == 1);
        Assert.Contains(drawn.Where((v, i) => intensities[i] is > 0 and < 1), v => v == 0);
    }

    [Fact]
    public void DynamicEqualsGatheringTheImagesAndDrawing()
    {
        // 3×3 images: an odd pixel count, so Philox blocks (two pixels each) straddle images in the batch
        var set = new ImageSet("odd", 3, 3, Intensities(40 * 9, 12), null);
        int[] indices = [7, 0, 39, 7, 22, 3, 18];
        var key = new RandomKey(9);
        var gathered = indices.SelectMany(i => set.Image(i).ToArray()).ToArray();
        var batch = new double[indices.Length * 9];
        Binarization.Dynamic(set, indices, key, batch);
        Assert.Equal(Reference(gathered, key), batch);
        var e = Assert.Throws<ArgumentException>(() => Binarization.Dynamic(set, indices, key, new double[10]));
        Assert.Contains("destination holds 10 values for 7 images of 9 pixels", e.Message);
    }
}
