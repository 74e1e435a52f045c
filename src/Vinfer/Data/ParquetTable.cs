using Parquet;
using Parquet.Schema;

namespace Vinfer.Data;

/// <summary>
/// Reads a Parquet file (Apache Parquet, the column-oriented format; read with Parquet.Net) of numeric columns into
/// a <see cref="CsvTable"/>: each column chunk of each row group is read into one reused buffer of the row group's
/// length and scattered into the table's row-major cells, so the table costs the data's size in doubles plus one
/// column chunk, and nothing is parsed from text. Columns may be
/// double, float, int or long, not nullable; any other column is refused with its name.
/// </summary>
public static class ParquetTable
{
    // The reader's garbage allowed between full collections.
    private const long GarbageBound = 64L << 20;

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
        int width = fields.Length;
        if (rows * width > Array.MaxLength)
            throw new DataFormatException($"{path}: {rows} rows of {width} columns are more than one array holds; read fewer row groups at a time");
        var cells = GC.AllocateUninitializedArray<double>((int)(rows * width));
        double[] chunk = [];
        long offset = 0, allocatedAtCollection = GC.GetTotalAllocatedBytes();
        for (int g = firstRowGroup; g < last; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            if (chunk.Length < n) chunk = GC.AllocateUninitializedArray<double>(n);
            for (int j = 0; j < width; j++)
            {
                var target = chunk.AsMemory(0, n);
                var type = fields[j].ClrType;
                if (type == typeof(double)) await group.ReadAsync(fields[j], target);
                else if (type == typeof(float)) Widen(await Read<float>(group, fields[j], n), target.Span, v => v);
                else if (type == typeof(int)) Widen(await Read<int>(group, fields[j], n), target.Span, v => v);
                else Widen(await Read<long>(group, fields[j], n), target.Span, v => v);
                var values = target.Span;
                for (int i = 0; i < n; i++)
                {
                    if (!double.IsFinite(values[i]))
                        throw new DataFormatException($"{path}: row {offset + i + 1}, column '{fields[j].Name}': {DataFormatException.FormatNumber(values[i])} is not a finite number");
                    cells[(offset + i) * width + j] = values[i];
                }
                // Parquet.Net's page buffers are large-object garbage, which only a full collection frees: left to the
                // GC they pile up to several times the data (4.9× at N = 2,000,000, D = 50), so collect every 64 MB read.
                if (GC.GetTotalAllocatedBytes() - allocatedAtCollection > GarbageBound)
                {
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
                    allocatedAtCollection = GC.GetTotalAllocatedBytes();
                }
            }
            offset += n;
        }
        return CsvTable.FromRows([.. fields.Select(f => f.Name)], cells, (int)rows, path);
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
