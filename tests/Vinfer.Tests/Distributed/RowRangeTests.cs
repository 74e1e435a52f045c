using Vinfer.Data;
using Vinfer.Distributed;
using Vinfer.Tensors;
using Xunit;

namespace Vinfer.Tests.Distributed;

/// <summary>Row shares, row blocks of data, and the data-parallel ops on the group of one process.</summary>
public class RowRangeTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(8, 8)]
    [InlineData(1000, 7)]
    public void SharesCoverTheRowsOnceInOrderWithSizesWithinOne(int total, int size)
    {
        int next = 0;
        for (int r = 0; r < size; r++)
        {
            var share = RowRange.Share(total, r, size);
            Assert.Equal(next, share.Start);
            Assert.Equal(total, share.Total);
            Assert.InRange(share.Count, total / size, total / size + 1);
            next = share.End;
        }
        Assert.Equal(total, next);
    }

    [Fact]
    public void MoreRanksThanRowsNamesBoth()
    {
        var e = Assert.Throws<ArgumentException>(() => RowRange.Share(3, 0, 4));
        Assert.Contains("4 ranks for 3 rows", e.Message);
    }

    [Fact]
    public void TakeCutsRowShapedFieldsAndKeepsTheRest()
    {
        var data = StanData.FromValues([new("N", 4), new("D", 2), new("X", new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } }), new("y", new[] { 0, 1, 1, 0 }), new("s", 2.5)]);
        var cut = StanDataRows.Take(data, "N", 1, 2);
        Assert.Equal(2, cut.GetInt("N"));
        Assert.Equal(2, cut.GetInt("D"));
        Assert.Equal([3.0, 4, 5, 6], cut.GetMatrix("X", 2, 2).ToArray());
        Assert.Equal([1, 1], cut.GetIntArray("y", 2));
        Assert.Equal(2.5, cut.GetReal("s"));
        Assert.Throws<ArgumentOutOfRangeException>(() => StanDataRows.Take(data, "N", 3, 2));
    }

    [Fact]
    public void ACsvRowBlockParsesOnlyItsRowsAndCountRowsSkipsHeaderBlanksAndComments()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vinfer-rows-{Guid.NewGuid():N}.csv");
        try
        {
            // row 3 (0-based) is malformed: a block that does not hold it must not see it
            File.WriteAllText(path, "# comment\na,b\n1,10\n\n2,20\n3,30\nbad,40\n5,50\n");
            Assert.Equal(5, CsvTable.CountRows(path));
            var block = CsvTable.Load(path, 1, 2);
            Assert.Equal(2, block.RowCount);
            Assert.Equal([2.0, 3.0], block.GetColumn("a"));
            Assert.Equal([20.0, 30.0], block.GetColumn("b"));
            Assert.Equal([5.0], CsvTable.Load(path, 4, 1).GetColumn("a"));
            var e = Assert.Throws<DataFormatException>(() => CsvTable.Load(path, 3, 1));
            Assert.Contains("line 7", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void OnOneProcessTheOpsAreTheIdentityInValueAndGradient()
    {
        var x = Tensor.Parameter([1.0, -2.0, 3.0], 3);
        var y = DataParallel.SumOverRanks(DataParallel.Replicate(x, SingleProcessCommunicator.Instance) * x, SingleProcessCommunicator.Instance).Sum();
        y.Backward();
        Assert.Equal(14.0, y.Item());
        Assert.Equal([2.0, -4.0, 6.0], x.Grad!.ToArray());
    }
}
