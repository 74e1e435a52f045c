using Vinfer.Optim;

namespace Vinfer.Tests.Optim;

/// <summary>The adaptive outlier limit of the natural-gradient step (<see cref="MedianNormLimit"/>): exact medians, the window, the saved history.</summary>
public class MedianNormLimitTests
{
    [Fact]
    public void NoLimitUntilTenNormsThenTheFactorTimesTheirMedian()
    {
        var limit = new MedianNormLimit(4, 20);
        for (int i = 1; i <= 9; i++)
        {
            limit.Add(i);
            Assert.Equal(double.PositiveInfinity, limit.Limit());
        }
        limit.Add(1000); // 1…9 and an outlier: the median of ten is (5 + 6) / 2, the outlier does not move it
        Assert.Equal(4 * 5.5, limit.Limit());
        limit.Add(0.5); // eleven norms: the middle one, 5
        Assert.Equal(4 * 5.0, limit.Limit());
        limit.Add(double.NaN); // not remembered
        Assert.Equal(11, limit.Count);
        Assert.Equal(4 * 5.0, limit.Limit());
    }

    [Fact]
    public void OnlyTheLastWindowOfNormsCounts()
    {
        var limit = new MedianNormLimit(2, 10);
        for (int i = 0; i < 10; i++) limit.Add(100);
        Assert.Equal(200, limit.Limit());
        for (int i = 0; i < 6; i++) limit.Add(1); // six of the last ten are 1: the median follows the new scale
        Assert.Equal(10, limit.Count);
        Assert.Equal(2, limit.Limit());
    }

    [Fact]
    public void ASavedHistoryReadsBackIntoNewBuffers()
    {
        var limit = new MedianNormLimit(3, 12);
        for (int i = 0; i < 17; i++) limit.Add(Math.Sqrt(i + 1)); // past the window: the ring has wrapped
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) limit.Write(writer);
        var copy = new MedianNormLimit(3, 12);
        stream.Position = 0;
        using (var reader = new BinaryReader(stream)) copy.Read(reader);
        Assert.Equal(limit.Limit(), copy.Limit());
        copy.Add(1e3); // the copy's next norm replaces the same oldest one (√6), and the original is not touched
        limit.Add(1e3);
        Assert.Equal(3 * 0.5 * (Math.Sqrt(12) + Math.Sqrt(13)), copy.Limit(), 12);
        Assert.Equal(limit.Limit(), copy.Limit());
        copy.Add(1e3);
        Assert.NotEqual(limit.Limit(), copy.Limit());
    }

    [Fact]
    public void TheOrderedWindowGivesTheSameMedianAsSortingTheLastNorms()
    {
        // norms with ties and a ring that wraps many times: every limit equals the factor times a brute-force median
        var limit = new MedianNormLimit(4, 15);
        var seen = new List<double>();
        var random = new System.Random(20261201);
        for (int i = 0; i < 400; i++)
        {
            double norm = random.Next(4) == 0 ? 7 : Math.Round(random.NextDouble() * 20, 1);
            limit.Add(norm);
            seen.Add(norm);
            var last = seen.Skip(Math.Max(0, seen.Count - 15)).Order().ToArray();
            double expected = last.Length < MedianNormLimit.MinimumHistory ? double.PositiveInfinity
                : 4 * (last.Length % 2 == 1 ? last[last.Length / 2] : 0.5 * (last[last.Length / 2 - 1] + last[last.Length / 2]));
            Assert.Equal(expected, limit.Limit());
        }
    }

    [Fact]
    public void BadSettingsAndHistoriesAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianNormLimit(0.5, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianNormLimit(4, 5));
        var small = new MedianNormLimit(4, 10);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) { writer.Write(11); writer.Write(0); }
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        Assert.Throws<FormatException>(() => small.Read(reader));
    }
}
