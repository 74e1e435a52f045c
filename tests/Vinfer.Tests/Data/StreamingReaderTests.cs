using System.Globalization;
using System.Text;
using Vinfer.Data;

namespace Vinfer.Tests.Data;

/// <summary>
/// The streaming JSON and CSV readers on files larger than their read buffers (1 MB for JSON), so numbers, bare
/// non-finite tokens and rows cross buffer refills: every value must come back bit for bit as written with "R"; and
/// malformed input deep in a large file gives one <see cref="DataFormatException"/> naming file, line and column.
/// </summary>
public class StreamingReaderTests
{
    private const int Rows = 12_000, Columns = 9; // ≈ 2 MB of text

    private static double[] Values(int seed)
    {
        var rng = new System.Random(seed);
        var v = new double[Rows * Columns];
        for (int i = 0; i < v.Length; i++) v[i] = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-5, 6));
        return v;
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void LargeJsonMatrixComesBackBitForBitAcrossBufferRefills()
    {
        var values = Values(1);
        values[777 * Columns + 3] = double.NaN; // bare tokens, some landing across a refill
        values[5000 * Columns] = double.NegativeInfinity;
        values[11999 * Columns + 8] = double.PositiveInfinity;
        var sb = new StringBuilder("\uFEFF{\"N\": ").Append(Rows).Append(", \"X\": [");
        for (int i = 0; i < Rows; i++)
        {
            sb.Append(i == 0 ? "[" : ",\n[");
            for (int j = 0; j < Columns; j++)
            {
                double v = values[i * Columns + j];
                sb.Append(j == 0 ? "" : ", ").Append(double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "Infinity" : double.IsNegativeInfinity(v) ? "-Infinity" : R(v));
            }
            sb.Append(']');
        }
        sb.Append("], \"k\": [1, 2, 3]}");
        string path = Path.Combine(Path.GetTempPath(), $"vinfer-stream-{Environment.ProcessId}.json");
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
        try
        {
            var data = StanData.Load(path);
            Assert.Equal(Rows, data.GetInt("N"));
            Assert.Equal([Rows, Columns], data.GetShape("X"));
            var x = data.GetMatrix("X", Rows, Columns, allowNonFinite: true).ToArray();
            for (int i = 0; i < values.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(values[i]) == BitConverter.DoubleToInt64Bits(x[i]) || (double.IsNaN(values[i]) && double.IsNaN(x[i])), $"X flat {i}: {values[i]:R} vs {x[i]:R}");
            Assert.Equal([1, 2, 3], data.GetIntArray("k", 3));
            var e = Assert.Throws<DataFormatException>(() => data.GetMatrix("X"));
            Assert.Equal($"{path}: field 'X' has NaN at [778, 4]", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MalformedNumberDeepInALargeJsonFileNamesLineAndColumn()
    {
        var sb = new StringBuilder("{\"y\": [\n");
        for (int i = 0; i < 200_000; i++) sb.Append("1.5,\n");
        sb.Append("2.5x\n]}");
        string path = Path.Combine(Path.GetTempPath(), $"vinfer-stream-bad-{Environment.ProcessId}.json");
        File.WriteAllText(path, sb.ToString());
        try
        {
            var e = Assert.Throws<DataFormatException>(() => StanData.Load(path));
            Assert.StartsWith($"{path}: malformed JSON at line 200002, column ", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void RaggedAndMixedArraysStillNameTheElement()
    {
        var data = StanData.Parse("""{"a": [[1, 2], [3]], "b": [1, [2]], "c": [1, 2.5, 3], "m": [[1, 2], [3, 4.0]]}""", "d.json");
        Assert.Equal("d.json: field 'a': ragged array: element [2] has length 1, expected 2", Assert.Throws<DataFormatException>(() => data.GetShape("a")).Message);
        Assert.Contains("ragged array", Assert.Throws<DataFormatException>(() => data.GetShape("b")).Message);
        Assert.Equal("d.json: field 'c': expected an integer at index 2, got the number 2.5", Assert.Throws<DataFormatException>(() => data.GetIntArray("c")).Message);
        Assert.Equal("d.json: field 'm': expected an integer at [2, 2], got the number 4", Assert.Throws<DataFormatException>(() => data.GetIntMatrix("m")).Message);
        Assert.Equal(new[,] { { 1, 2 }, { 3, 4 } }, StanData.Parse("""{"m": [[1, 2], [3, 4]]}""").GetIntMatrix("m"));
    }

    [Fact]
    public void LargeCsvFileComesBackBitForBitAndABadCellIsNamed()
    {
        var values = Values(2);
        var sb = new StringBuilder(string.Join(",", Enumerable.Range(0, Columns).Select(j => $"c{j}"))).Append('\n');
        for (int i = 0; i < Rows; i++)
            sb.Append(string.Join(",", Enumerable.Range(0, Columns).Select(j => R(values[i * Columns + j])))).Append('\n');
        string path = Path.Combine(Path.GetTempPath(), $"vinfer-stream-{Environment.ProcessId}.csv");
        File.WriteAllText(path, sb.ToString());
        try
        {
            var table = CsvTable.Load(path);
            Assert.Equal(Rows, table.RowCount);
            for (int j = 0; j < Columns; j++)
            {
                var column = table.GetColumn($"c{j}");
                for (int i = 0; i < Rows; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(values[i * Columns + j]), BitConverter.DoubleToInt64Bits(column[i]));
            }
            var regression = table.ToRegressionData("c0");
            var x = regression.GetMatrix("X", Rows, Columns - 1).ToArray();
            Assert.Equal(values[5 * Columns + 3], x[5 * (Columns - 1) + 2]);
            Assert.Equal(values[7 * Columns], regression.GetVector("y", Rows)[7]);

            var lines = File.ReadAllLines(path);
            lines[9001] = lines[9001].Replace(",", ",\u0001\u0002junk", StringComparison.Ordinal);
            File.WriteAllLines(path, lines);
            var e = Assert.Throws<DataFormatException>(() => CsvTable.Load(path));
            Assert.Equal($"{path}: line 9002, column 2 ('c1'): '??junk{lines[9001].Split(',')[1][6..]}' is not a number", e.Message);
        }
        finally { File.Delete(path); }
    }
}
