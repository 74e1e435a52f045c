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
}
