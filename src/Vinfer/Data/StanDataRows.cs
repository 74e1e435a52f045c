namespace Vinfer.Data;

/// <summary>
/// A block of rows of data whose rows are observations: the row-count field becomes the block's length and every array
/// whose first dimension is the row count is cut to the block; other fields (sizes, scalars, hyperparameters) are kept.
/// This is how a data-parallel process keeps its own rows of a JSON or CSV data set.
/// </summary>
public static class StanDataRows
{
    /// <summary>
    /// Rows <paramref name="start"/> … start + count − 1 of <paramref name="data"/>, whose integer field
    /// <paramref name="rowCountField"/> holds the number of rows.
    /// </summary>
    public static StanData Take(StanData data, string rowCountField, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        int total = data.GetInt(rowCountField, 1);
        if (start < 0 || count < 1 || start > total - count)
            throw new ArgumentOutOfRangeException(nameof(start), $"StanDataRows.Take: rows {start}…{start + count - 1} do not fit in {total} rows of '{rowCountField}' ({data.Source}).");
        var fields = new Dictionary<string, DataValue>(StringComparer.Ordinal);
        foreach (var (name, value) in data.Fields)
        {
            if (name == rowCountField) fields[name] = DataValue.Integer(count);
            else if (value.Values is { } flat && value.Shape is { Length: > 0 } shape && shape[0] == total)
            {
                int inner = total == 0 ? 0 : flat.Length / total;
                var cut = flat.AsSpan(start * inner, count * inner).ToArray();
                var cutShape = (int[])shape.Clone();
                cutShape[0] = count;
                fields[name] = DataValue.Dense(cut, cutShape, value.FirstNonInteger < 0 ? -1 : 0);
            }
            else if (value.Items is { } items && items.Length == total) fields[name] = DataValue.Array(items[start..(start + count)]);
            else fields[name] = value;
        }
        return StanData.FromFields(fields, $"{data.Source} (rows {start + 1}–{start + count} of {total})");
    }

    /// <summary>
    /// Reads only a block of rows of the data-JSON file <paramref name="path"/>: the same data as
    /// <c>Take(StanData.Load(path), rowCountField, start, count)</c> without holding the other rows. The file is read
    /// twice, streaming: the first pass stores the scalars and every top-level array's length (the row count is known
    /// only once its field is read, which may come after the arrays); <paramref name="chooseRows"/> then picks the
    /// block (start, count) from the row count, and the second pass stores only that block of each array whose length
    /// is the row count (and every other field whole). Memory is the block plus the small fields. Every row of the
    /// file is still checked for JSON syntax, for being a number or an array of numbers, and for having the shape of
    /// the rows before it (errors name the field and the row); non-finite and non-integer values are checked by the
    /// readers of the kept rows only, as for any other rank's rows.
    /// </summary>
    public static StanData Load(string path, string rowCountField, Func<int, (int Start, int Count)> chooseRows)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(rowCountField);
        ArgumentNullException.ThrowIfNull(chooseRows);
        var lengths = new Dictionary<string, int>(StringComparer.Ordinal);
        var survey = Read(path, _ => (0, 0), lengths);
        var scalars = new Dictionary<string, DataValue>(StringComparer.Ordinal);
        foreach (var (name, value) in survey) if (!lengths.ContainsKey(name)) scalars[name] = value;
        int total = StanData.FromFields(scalars, path).GetInt(rowCountField, 1);
        var (start, count) = chooseRows(total);
        if (start < 0 || count < 1 || start > total - count)
            throw new ArgumentOutOfRangeException(nameof(chooseRows), $"StanDataRows.Load: rows {start}…{start + count - 1} do not fit in {total} rows of '{rowCountField}' ({path}).");
        var fields = Read(path, name => lengths.TryGetValue(name, out int length) && length == total ? (start, count) : null, null);
        fields[rowCountField] = DataValue.Integer(count);
        return StanData.FromFields(fields, $"{path} (rows {start + 1}–{start + count} of {total})");
    }

    /// <summary>Rows <paramref name="start"/> … start + count − 1 of a data-JSON file (see the overload).</summary>
    public static StanData Load(string path, string rowCountField, int start, int count) => Load(path, rowCountField, _ => (start, count));

    private static Dictionary<string, DataValue> Read(string path, Func<string, (int Start, int Count)?> rowsOf, Dictionary<string, int>? lengths)
    {
        Stream stream;
        try { stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
        using (stream) return StreamingJsonReader.Read(stream, path, rowsOf, lengths);
    }
}
