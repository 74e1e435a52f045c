using Vinfer.Data;

namespace Vinfer.Tests.Data;

/// <summary>A row block read from a data-JSON file (<see cref="StanDataRows.Load(string, string, int, int)"/>) is the
/// same as <see cref="StanDataRows.Take"/> of the whole file; rows outside the block are checked but not stored.</summary>
public sealed class StanDataRowsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vinfer-rows-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        string path = Path.Combine(_folder, $"d{Directory.GetFiles(_folder).Length}.json");
        File.WriteAllText(path, json);
        return path;
    }

    // N comes after the row arrays, a non-row vector (prior, length 2) and a 3-d row array (Z[N, 2, 2]) are included.
    private const string Seven = """
        {
          "D": 3,
          "X": [[0.5, -1.25, 2.0], [1.5, 0.25, -3.0], [2.5, 1.25, 4.0], [3.5, -2.25, 5.0], [4.5, 3.25, -6.0], [5.5, 4.25, 7.0], [6.5, -5.25, 8.0]],
          "y": [0, 1, 1, 0, 1, 0, 1],
          "prior": [1.5, 2.5],
          "Z": [[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]], [[13, 14], [15, 16]], [[17, 18], [19, 20]], [[21, 22], [23, 24]], [[25, 26], [27, 28]]],
          "scale": 2.75,
          "N": 7
        }
        """;

    [Theory]
    [InlineData(0, 7)] // the whole file
    [InlineData(0, 3)] // rank 0 of 2
    [InlineData(3, 2)] // a middle block
    [InlineData(4, 3)] // rank 1 of 2 (4, 3): the last rank, nothing after it
    [InlineData(6, 1)] // the last row alone
    [InlineData(0, 1)] // the first row alone
    public void ARowBlockOfAJsonFileIsTakeOfTheWholeFile(int start, int count)
    {
        string path = Write(Seven);
        var expected = StanDataRows.Take(StanData.Load(path), "N", start, count);
        var actual = StanDataRows.Load(path, "N", start, count);
        Assert.Equal(expected.ToJson(), actual.ToJson());
        Assert.Equal(count, actual.GetInt("N"));
        Assert.Equal([count, 3], actual.GetShape("X"));
        Assert.Equal([count, 2, 2], actual.GetShape("Z"));
        Assert.Equal([1.5, 2.5], actual.GetVector("prior", 2).ToArray());
        Assert.Equal(start + 0.5, actual.GetMatrix("X", count, 3).ToArray()[0]);
        Assert.Equal(expected.Source, actual.Source);
    }

    [Fact]
    public void TheBlockIsChosenFromTheRowCountAndMustFitInIt()
    {
        string path = Write(Seven);
        int seen = -1;
        var last = StanDataRows.Load(path, "N", total => { seen = total; return (total - 2, 2); });
        Assert.Equal(7, seen);
        Assert.Equal([1, 0, 1], StanDataRows.Take(StanData.Load(path), "N", 4, 3).GetIntArray("y", 3));
        Assert.Equal([0, 1], last.GetIntArray("y", 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => StanDataRows.Load(path, "N", 6, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => StanDataRows.Load(path, "N", 3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StanDataRows.Load(path, "N", -1, 2));
        var missing = Assert.Throws<DataFormatException>(() => StanDataRows.Load(path, "M", 0, 1));
        Assert.Contains("'M'", missing.Message);
    }

    /// <summary>Rows outside the block are still checked: a string, a ragged row or broken JSON there is reported,
    /// naming the field and the row; a non-finite number there is deliberately not (it is that rank's to report).</summary>
    [Fact]
    public void AMalformedRowOutsideTheBlockIsReportedButANonFiniteOneIsLeftToItsOwner()
    {
        string text = Write("""{"N": 4, "X": [[1.5, 2.5], [3.5, 4.5], [5.5, 6.5], [7.5, "x"]], "y": [0, 1, 1, 0]}""");
        var e = Assert.Throws<DataFormatException>(() => StanDataRows.Load(text, "N", 0, 2));
        Assert.Contains("field 'X' at [4, 2]", e.Message);
        Assert.Contains("\"x\"", e.Message);

        string ragged = Write("""{"N": 4, "X": [[1.5, 2.5], [3.5, 4.5], [5.5, 6.5], [7.5]], "y": [0, 1, 1, 0]}""");
        e = Assert.Throws<DataFormatException>(() => StanDataRows.Load(ragged, "N", 0, 2));
        Assert.Contains("field 'X' at [4]", e.Message);
        Assert.Contains("row 4 has shape [1], the rows before it [2]", e.Message);

        string mixed = Write("""{"N": 4, "y": [0, 1, 1, [0]]}""");
        e = Assert.Throws<DataFormatException>(() => StanDataRows.Load(mixed, "N", 0, 1));
        Assert.Contains("field 'y' at [4]", e.Message);

        string broken = Write("""{"N": 4, "y": [0, 1, 1, 0,, ]}""");
        e = Assert.Throws<DataFormatException>(() => StanDataRows.Load(broken, "N", 0, 1));
        Assert.Contains("malformed JSON at line 1", e.Message);

        string nonFinite = Write("""{"N": 4, "X": [[1.5, 2.5], [3.5, 4.5], [5.5, NaN], [7.5, 8.5]]}""");
        Assert.Equal([1.5, 2.5, 3.5, 4.5], StanDataRows.Load(nonFinite, "N", 0, 2).GetMatrix("X", 2, 2).ToArray());
        var owner = Assert.Throws<DataFormatException>(() => StanDataRows.Load(nonFinite, "N", 2, 2).GetMatrix("X", 2, 2));
        Assert.Contains("[1, 2]", owner.Message);
    }
}
