using Parquet;
using Parquet.Schema;

namespace Vinfer.Data;

/// <summary>
/// Reads a Parquet file (Apache Parquet, the column-oriented format; read with Parquet.Net) of numeric columns into
/// a <see cref="CsvTable"/>: each column's values go from each row group straight into one <c>double[]</c> of the
/// whole column, so the table costs the data's size in doubles and nothing is parsed from text. Columns may be
/// double, float, int or long, not nullable; any other column is refused with its name.
/// </summary>
public static class ParquetTable
{
    /// <summary>Reads every row group of <paramref name="path"/>.</summary>
    public static CsvTable Load(string path) => Load(path, firstRowGroup: 0, rowGroupCount: null);

    /// <summary>The number of row groups of <paramref name="path"/> (read from the footer only).</summary>
    public static int RowGroupCount(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var stream = File.OpenRead(path);
            var reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
            try { return reader.RowGroupCount; }
            finally { reader.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
        catch (Exception e) when (e is not DataFormatException and not ArgumentException)
        {
            throw new DataFormatException($"{path}: not a readable Parquet file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads the row groups [<paramref name="firstRowGroup"/>, <paramref name="firstRowGroup"/> + <paramref name="rowGroupCount"/>)
    /// of <paramref name="path"/> (all from the first when the count is null): a process that owns a share of the
    /// rows reads only its own row groups.
    /// </summary>
    public static CsvTable Load(string path, int firstRowGroup, int? rowGroupCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return LoadAsync(path, firstRowGroup, rowGroupCount).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
        catch (Exception e) when (e is not DataFormatException and not ArgumentException)
        {
            throw new DataFormatException($"{path}: not a readable Parquet file: {e.Message}", e);
        }
    }

    private static async Task<CsvTable> LoadAsync(string path, int firstRowGroup, int? rowGroupCount)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        foreach (var field in fields)
        {
            if (field.IsArray) throw new DataFormatException($"{path}: column '{field.Name}' is a list; only numeric columns can be read");
            if (field.ClrType != typeof(double) && field.ClrType != typeof(float) && field.ClrType != typeof(int) && field.ClrType != typeof(long))
                throw new DataFormatException($"{path}: column '{field.Name}' has type {field.ClrType.Name}; only double, float, int and long columns can be read");
            if (field.IsNullable) throw new DataFormatException($"{path}: column '{field.Name}' is nullable; missing values are not supported");
        }
        int groups = reader.RowGroupCount;
        if (firstRowGroup < 0 || firstRowGroup > groups)
            throw new ArgumentOutOfRangeException(nameof(firstRowGroup), firstRowGroup, $"{path} has {groups} row groups.");
        int last = rowGroupCount is { } count ? firstRowGroup + count : groups;
        if (last > groups || last < firstRowGroup)
            throw new ArgumentOutOfRangeException(nameof(rowGroupCount), rowGroupCount, $"{path} has {groups} row groups; asked for {rowGroupCount} from {firstRowGroup}.");
        long rows = 0;
        for (int g = firstRowGroup; g < last; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            rows += group.RowCount;
        }
        var columns = new double[fields.Length][];
        for (int j = 0; j < fields.Length; j++) columns[j] = GC.AllocateUninitializedArray<double>(checked((int)rows));
        long offset = 0;
        for (int g = firstRowGroup; g < last; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            for (int j = 0; j < fields.Length; j++)
            {
                var target = columns[j].AsMemory((int)offset, n);
                var type = fields[j].ClrType;
                if (type == typeof(double)) await group.ReadAsync(fields[j], target);
                else if (type == typeof(float)) Widen(await Read<float>(group, fields[j], n), target.Span, v => v);
                else if (type == typeof(int)) Widen(await Read<int>(group, fields[j], n), target.Span, v => v);
                else Widen(await Read<long>(group, fields[j], n), target.Span, v => v);
                for (int i = 0; i < n; i++)
                    if (!double.IsFinite(target.Span[i]))
                        throw new DataFormatException($"{path}: row {offset + i + 1}, column '{fields[j].Name}': {DataFormatException.FormatNumber(target.Span[i])} is not a finite number");
            }
            offset += n;
        }
        return CsvTable.FromColumns([.. fields.Select(f => f.Name)], columns, (int)rows, path);
    }

    private static async Task<T[]> Read<T>(ParquetRowGroupReader group, DataField field, int n) where T : struct
    {
        var values = new T[n];
        await group.ReadAsync(field, values.AsMemory());
        return values;
    }

    private static void Widen<T>(T[] values, Span<double> target, Func<T, double> convert)
    {
        for (int i = 0; i < values.Length; i++) target[i] = convert(values[i]);
    }
}
