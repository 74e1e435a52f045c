using Vinfer.Data;
using Vinfer.Random;

namespace Vinfer.Tests.Data;

public class ImageSetTests
{
    private static ImageSet Numbered(int count)
    {
        // image i has every pixel equal to i / count, so an image's identity survives a split
        var pixels = new double[count * 4];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (i / 4) / (double)count;
        return new ImageSet("numbered", 2, 2, pixels, Enumerable.Range(0, count).ToArray());
    }

    [Fact]
    public void SplitIsADisjointCoverFixedBySeed()
    {
        var set = Numbered(50);
        var a = set.Split(validationCount: 7, testCount: 5, seed: 3);
        var b = set.Split(validationCount: 7, testCount: 5, seed: 3);
        var c = set.Split(validationCount: 7, testCount: 5, seed: 4);
        Assert.Equal((38, 7, 5), (a.Train.Count, a.Validation.Count, a.Test.Count));
        var all = a.Train.Labels!.Concat(a.Validation.Labels!).Concat(a.Test.Labels!).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 50).ToArray(), all);
        Assert.Equal(a.Test.Labels, b.Test.Labels);
        Assert.NotEqual(a.Test.Labels, c.Test.Labels);
        for (int i = 0; i < a.Test.Count; i++) Assert.Equal(a.Test.Labels![i] / 50.0, a.Test.Image(i)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Split(25, 25, 1));
    }

    [Fact]
    public void PermutationIsUniform()
    {
        // position of element 0 over 4,000 permutations of 5: each of the 5 slots with probability 1/5
        var counts = new int[5];
        for (ulong s = 0; s < 4000; s++) counts[Array.IndexOf(ImageSet.Permutation(5, s), 0)]++;
        double se = Math.Sqrt(4000 * 0.2 * 0.8);
        Assert.All(counts, c => Assert.InRange(c, 800 - 5 * se, 800 + 5 * se));
    }

    [Fact]
    public void BinarizationDrawsEachPixelWithItsIntensity()
    {
        var pixels = new double[20_000];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = i % 2 == 0 ? 0.3 : (i % 4 == 1 ? 0 : 1);
        var set = new ImageSet("p", 100, 200, pixels, null);
        var binary = Binarization.Static(set, 9);
        Assert.All(binary.Pixels, v => Assert.True(v is 0 or 1));
        double mean = Enumerable.Range(0, 10_000).Average(i => binary.Pixels[2 * i]);
        double se = Math.Sqrt(0.3 * 0.7 / 10_000);
        Assert.InRange(mean, 0.3 - 5 * se, 0.3 + 5 * se);
        Assert.All(Enumerable.Range(0, 10_000), i => Assert.Equal(pixels[2 * i + 1], binary.Pixels[2 * i + 1]));
        Assert.Equal(binary.Pixels, Binarization.Static(set, 9).Pixels);
        // dynamic: a fresh draw per key, same for the same key
        var first = new double[20_000]; var again = new double[20_000]; var other = new double[20_000];
        Binarization.Dynamic(set, [0], new RandomKey(1), first);
        Binarization.Dynamic(set, [0], new RandomKey(1), again);
        Binarization.Dynamic(set, [0], new RandomKey(2), other);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void RejectsPixelsOutsideTheUnitInterval()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageSet("bad", 1, 2, [0.5, 1.5], null));
        Assert.Contains("pixel 1 of image 0 is 1.5", e.Message);
    }
}
