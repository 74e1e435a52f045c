using Vinfer.Data;

namespace Vinfer.Tests.Data;

/// <summary>The readers' growable buffer: values across chunk boundaries copy and move out exactly.</summary>
public class ChunkedDoublesTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1_048_575L)] // the last value of the first chunk
    [InlineData(1_500_000L)] // inside the second chunk
    public void MovingOutGivesTheValuesAndEmptiesTheBufferFromStart(long start)
    {
        const long count = 2_621_440; // two and a half chunks of 2^20
        var buffer = new ChunkedDoubles();
        for (long i = 0; i < count; i++) buffer.Add(i * 0.5);
        var moved = new double[count - start];
        buffer.MoveTo(start, moved, collectEvery: 4L << 20);
        for (long i = 0; i < moved.Length; i++)
            if (moved[i] != (start + i) * 0.5) Assert.Fail($"value {start + i} is {moved[i]}, expected {(start + i) * 0.5}");
        Assert.Equal(start, buffer.Count);
        if (start > 0)
        {
            var kept = new double[start];
            buffer.CopyTo(0, kept);
            Assert.Equal((start - 1) * 0.5, kept[^1]);
            Assert.Equal(0.0, kept[0]);
        }
        // the buffer grows again after the move
        buffer.Add(-1);
        var last = new double[1];
        buffer.CopyTo(start, last);
        Assert.Equal(-1.0, last[0]);
    }
}
