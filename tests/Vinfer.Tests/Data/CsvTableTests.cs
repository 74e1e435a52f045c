using Vinfer.Data;

namespace Vinfer.Tests.Data;

public class CsvTableTests
{
    [Fact]
    public void ReadsNumericColumns()
    {
        var t = CsvTable.Parse("# comment\nx1,\"x 2\",y\n1,2.5,0\n\n-3,4e-1,1\r\n5,6,1\n", "d.csv");
        Assert.Equal(["x1", "x 2", "y"], t.ColumnNames);
        Assert.Equal(3, t.RowCount);
        Assert.Equal([2.5, 0.4, 6], t.GetColumn("x 2"));
        var m = t.GetMatrix(["y", "x1"]);
        Assert.Equal([3, 2], m.Shape.ToArray());
        Assert.Equal(-3.0, m[1, 1]);

        var reg = t.ToRegressionData("y");
        Assert.Equal(3, reg.GetInt("N"));
        Assert.Equal(2, reg.GetInt("D"));
        Assert.Equal([1, 2.5, -3, 0.4, 5, 6], reg.GetMatrix("X", 3, 2).ToArray());
        Assert.Equal([0.0, 1, 1], reg.GetVector("y", 3).ToArray());

        var all = t.ToStanData();
        Assert.Equal(3, all.GetInt("N"));
        Assert.Equal([1.0, -3, 5], all.GetVector("x1").ToArray());

        // in place: the same fields, whichever column is the response; the table is emptied
        foreach (var (response, x, y) in new[]
                 {
                     ("y", new[] { 1, 2.5, -3, 0.4, 5, 6 }, new[] { 0.0, 1, 1 }),
                     ("x1", new[] { 2.5, 0, 0.4, 1, 6, 1 }, new[] { 1.0, -3, 5 }),
                     ("x 2", new[] { 1, 0, -3, 1, 5, 1.0 }, new[] { 2.5, 0.4, 6 }),
                 })
        {
            var table = CsvTable.Parse("# comment\nx1,\"x 2\",y\n1,2.5,0\n\n-3,4e-1,1\r\n5,6,1\n", "d.csv");
            var moved = table.MoveToRegressionData(response);
            Assert.Equal(x, moved.GetMatrix("X", 3, 2).ToArray());
            Assert.Equal(y, moved.GetVector("y", 3).ToArray());
            Assert.Equal(x, moved.GetArray("X").ToArray());
            Assert.Contains("moved into regression data", Assert.Throws<InvalidOperationException>(() => table.GetColumn("x1")).Message);
        }
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,4\n", 2)]
    [InlineData("a,b\r\n1,2\r\n3,4", 2)]
    [InlineData("a,b\r1,2\r3,4\r", 2)]
    [InlineData("# c\na,b\n\n  \n1,2\n#x\n3,4\n\n", 2)]
    [InlineData("\uFEFFa,b\n1,2\n", 1)]
    [InlineData("a,b\n", 0)]
    public void AFileIsCountedAndReadWithAnyLineEnd(string csv, int rows)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vinfer-csv-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv);
        try
        {
            var table = CsvTable.Load(path);
            Assert.Equal(rows, table.RowCount);
            if (rows > 0) Assert.Equal(rows == 2 ? [2.0, 4] : [2.0], table.GetColumn("b"));
            var reg = table.MoveToRegressionData("b");
            Assert.Equal(rows, reg.GetInt("N"));
            if (rows > 0) Assert.Equal(rows == 2 ? [1.0, 3] : [1.0], reg.GetMatrix("X", rows, 1).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Fails(string csv) => Assert.Throws<DataFormatException>(() => CsvTable.Parse(csv, "d.csv")).Message;

    [Fact]
    public void ErrorsNameLineAndColumn()
    {
        Assert.Equal("d.csv: line 3, column 2 ('b'): 'abc' is not a number", Fails("a,b\n1,2\n3,abc\n"));
        Assert.Equal("d.csv: line 4: has 3 fields, the header (line 2) has 2", Fails("# c\na,b\n1,2\n3,4,5\n"));
        Assert.Equal("d.csv: line 2, column 1 ('a'): 'NaN' is not a finite number", Fails("a,b\nNaN,2\n"));
        Assert.Equal("d.csv: line 2, column 2 ('b'): '' is not a number", Fails("a,b\n1,\n"));
        Assert.Equal("d.csv: line 1, column 2: column name 'a' appears twice in the header", Fails("a,a\n1,2\n"));
        Assert.Equal("d.csv: no header row (the file is empty)", Fails("\n\n"));
        Assert.Equal("d.csv: line 2, column 2: unterminated quoted field", Fails("a,b\n1,\"2\n"));
        var t = CsvTable.Parse("a,b\n1,2\n", "d.csv");
        Assert.Equal("d.csv: missing column 'c' (columns: a, b)", Assert.Throws<DataFormatException>(() => t.GetColumn("c")).Message);
        Assert.Contains("missing response column 'y'", Assert.Throws<DataFormatException>(() => t.ToRegressionData("y")).Message);
    }

    [Fact]
    public void LoadsFromFile()
    {
        string dir = Directory.CreateTempSubdirectory("vinfer-csv").FullName;
        try
        {
            string path = Path.Combine(dir, "d.csv");
            File.WriteAllText(path, "a,b\n1,2\n3,x\n");
            var e = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));
            Assert.StartsWith(path + ": line 3, column 2", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
