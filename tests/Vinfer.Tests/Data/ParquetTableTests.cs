using Parquet;
using Parquet.Schema;
using Vinfer.Data;

namespace Vinfer.Tests.Data;

/// <summary>
/// <see cref="ParquetTable"/> on files written with Parquet.Net: several row groups and column types come back as the
/// same doubles, a row-group range reads only its rows, and unsupported or non-finite columns are named in the error.
/// </summary>
public class ParquetTableTests
{
    private static async Task Write(string path, DataField[] fields, Func<int, int, Array> column, int groups, int rowsPerGroup)
    {
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (int g = 0; g < groups; g++)
        {
            using var group = writer.CreateRowGroup();
            for (int j = 0; j < fields.Length; j++)
            {
                switch (column(g, j))
                {
                    case double[] d: await group.WriteAsync<double>(fields[j], d.AsMemory()); break;
                    case int[] i: await group.WriteAsync<int>(fields[j], i.AsMemory()); break;
                    case float[] f: await group.WriteAsync<float>(fields[j], f.AsMemory()); break;
                }
            }
        }
    }

    private static double Value(int row, int column) => Math.Sin(row * 0.37 + column) * Math.Pow(10, column - 1);

    [Fact]
    public async Task RowGroupsAndColumnTypesReadBackExactly()
    {
        const int groups = 3, rows = 50;
        string path = Path.Combine(Path.GetTempPath(), $"vinfer-{Environment.ProcessId}-{Guid.NewGuid():N}.parquet");
        DataField[] fields = [new DataField<double>("x1"), new DataField<float>("x2"), new DataField<int>("y")];
        await Write(path, fields, (g, j) => j switch
        {
            0 => Enumerable.Range(g * rows, rows).Select(i => Value(i, 0)).ToArray(),
            1 => Enumerable.Range(g * rows, rows).Select(i => (float)Value(i, 1)).ToArray(),
            _ => Enumerable.Range(g * rows, rows).Select(i => i % 2).ToArray(),
        }, groups, rows);
        try
        {
            var table = ParquetTable.Load(path);
            Assert.Equal(groups * rows, table.RowCount);
            Assert.Equal(["x1", "x2", "y"], table.ColumnNames);
            var x1 = table.GetColumn("x1");
            var x2 = table.GetColumn("x2");
            var y = table.GetColumn("y");
            for (int i = 0; i < groups * rows; i++)
            {
                Assert.Equal(Value(i, 0), x1[i]);
                Assert.Equal((double)(float)Value(i, 1), x2[i]);
                Assert.Equal(i % 2, y[i]);
            }
            var data = table.ToRegressionData("y");
            Assert.Equal([groups * rows, 2], data.GetShape("X"));
            // Only the middle row group: rows 51..100.
            var middle = ParquetTable.Load(path, firstRowGroup: 1, rowGroupCount: 1);
            Assert.Equal(rows, middle.RowCount);
            Assert.Equal(Value(rows, 0), middle.GetColumn("x1")[0]);
            Assert.Throws<ArgumentOutOfRangeException>(() => ParquetTable.Load(path, 2, 2));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task NonFiniteValuesAndNonParquetFilesAreNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vinfer-{Environment.ProcessId}-{Guid.NewGuid():N}.parquet");
        await Write(path, [new DataField<double>("x")], (g, j) => new[] { 1.0, double.NaN }, 1, 2);
        try
        {
            var e = Assert.Throws<DataFormatException>(() => ParquetTable.Load(path));
            Assert.Equal($"{path}: row 2, column 'x': NaN is not a finite number", e.Message);
            File.WriteAllText(path, "x,y\n1,2\n");
            e = Assert.Throws<DataFormatException>(() => ParquetTable.Load(path));
            Assert.StartsWith($"{path}: ", e.Message); // "not a readable Parquet file" or "cannot read data file", by where Parquet.Net fails
        }
        finally { File.Delete(path); }
    }
}
