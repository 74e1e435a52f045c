using Vinfer.Random;

namespace Vinfer.Tests.Random;

public class RandomKeyTests
{
    private const int N = 100_000;

    private static double[] Normals(RandomKey key)
    {
        var values = new double[N];
        Sample.Normal(key, values);
        return values;
    }

    [Fact]
    public void SameSeedGivesBitIdenticalDraws()
    {
        Assert.Equal(Normals(new RandomKey(42)), Normals(new RandomKey(42)));
        var first = new RandomStream(7);
        var second = new RandomStream(7);
        for (int i = 0; i < 5; i++) Assert.Equal(first.NextKey(), second.NextKey());
        Assert.Equal(5, first.Position);
    }

    [Fact]
    public void DerivedKeysAreDistinct()
    {
        var root = new RandomKey(123);
        var keys = new HashSet<RandomKey> { root };
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(keys.Add(root.Child(i)), $"child {i} repeats a key");
            Assert.True(keys.Add(root.Fold(i)), $"fold {i} repeats a key");
        }
        var (left, right) = root.Split();
        Assert.Equal(root.Child(0), left);
        Assert.Equal(root.Child(1), right);
        Span<RandomKey> many = stackalloc RandomKey[3];
        root.Split(many);
        Assert.Equal(root.Child(2), many[2]);
    }

    public static TheoryData<string> KeyPairs => new() { "seeds", "children", "fold-vs-child", "stream-split" };

    [Theory]
    [MemberData(nameof(KeyPairs))]
    public void DifferentKeysLookIndependent(string pair)
    {
        var root = new RandomKey(2024);
        (RandomKey a, RandomKey b) = pair switch
        {
            "seeds" => (new RandomKey(1), new RandomKey(2)),
            "children" => root.Split(),
            "fold-vs-child" => (root.Fold(5), root.Child(5)),
            _ => (new RandomStream(root).Split().NextKey(), new RandomStream(root).NextKey()),
        };
        Assert.NotEqual(a, b);
        double[] x = Normals(a), y = Normals(b);
        Assert.NotEqual(x[0], y[0]);
        double tolerance = 5 / Math.Sqrt(N);
        Assert.True(Math.Abs(SampleStatistics.Correlation(x, y)) < tolerance, $"{pair}: correlated streams");
        // Neighbours inside one fill (including the two halves of a Box–Muller pair) are uncorrelated too.
        Assert.True(Math.Abs(SampleStatistics.Correlation(x.AsSpan(0, N - 1), x.AsSpan(1))) < tolerance, $"{pair}: lag-1 correlation");
        var u = new double[N];
        var v = new double[N];
        Sample.Uniform(a, u);
        Sample.Uniform(b, v);
        Assert.True(Math.Abs(SampleStatistics.Correlation(u, v)) < tolerance, $"{pair}: correlated uniforms");
    }

    [Fact]
    public void NeighbouringSeedsDoNotShareBits()
    {
        // Seeds 0 and 1 differ by one key bit; Philox must still give unrelated outputs (about half the bits flip).
        var u = new double[4096];
        var v = new double[4096];
        Sample.Uniform(new RandomKey(0), u);
        Sample.Uniform(new RandomKey(1), v);
        long flipped = 0;
        for (int i = 0; i < u.Length; i++)
            flipped += System.Numerics.BitOperations.PopCount((ulong)BitConverter.DoubleToInt64Bits(u[i]) ^ (ulong)BitConverter.DoubleToInt64Bits(v[i]));
        double perValue = (double)flipped / u.Length;
        Assert.InRange(perValue, 25, 30); // 26 from the 52 random mantissa bits, about 1 more from the exponent
    }
}
