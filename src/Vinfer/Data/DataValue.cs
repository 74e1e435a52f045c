namespace Vinfer.Data;

/// <summary>
/// One value of a data file: a number (flagged when written as an integer), an array of values, or a dense
/// rectangular numeric array held as one flat row-major <c>double[]</c> with its shape. Readers produce the dense form
/// for every rectangular array (one array of doubles, no object per number: a 2,000,000 × 50 matrix costs its 800 MB
/// and nothing more); the nested form remains for ragged or mixed arrays, whose errors name the offending element.
/// </summary>
internal sealed class DataValue
{
    private DataValue(double number, bool isInteger, DataValue[]? items)
    {
        Number = number;
        IsInteger = isInteger;
        Items = items;
    }

    private DataValue(double[] values, int[] shape, long firstNonInteger)
    {
        Values = values;
        Shape = shape;
        FirstNonInteger = firstNonInteger;
    }

    public double Number { get; }
    public bool IsInteger { get; }
    public DataValue[]? Items { get; }

    /// <summary>The flat row-major values of a dense array (null otherwise).</summary>
    public double[]? Values { get; }

    /// <summary>The shape of a dense array (null otherwise).</summary>
    public int[]? Shape { get; }

    /// <summary>For a dense array: the flat index of the first element not written as an integer, or −1.</summary>
    public long FirstNonInteger { get; } = -1;

    public bool IsArray => Items is not null || Values is not null;
    public bool IsDense => Values is not null;

    public static DataValue Real(double value) => new(value, false, null);
    public static DataValue Integer(int value) => new(value, true, null);
    public static DataValue Array(DataValue[] items) => new(0, false, items);

    /// <summary>
    /// A dense array that takes ownership of <paramref name="values"/> (row-major, of <paramref name="shape"/>). The
    /// array may be longer than the shape's entries (a reader's buffer reused in place, <see cref="CsvTable.MoveToRegressionData"/>);
    /// the entries past them are unused.
    /// </summary>
    public static DataValue Dense(double[] values, int[] shape, long firstNonInteger) => new(values, shape, firstNonInteger);

    /// <summary>A row-major numeric array as a value: dense for rank ≥ 1 (copied), a number for rank 0.</summary>
    public static DataValue FromFlat(ReadOnlySpan<double> values, ReadOnlySpan<int> shape, bool integers)
    {
        if (shape.Length == 0) return integers ? Integer((int)values[0]) : Real(values[0]);
        return Dense(values.ToArray(), shape.ToArray(), integers || values.Length == 0 ? -1 : 0);
    }

    /// <summary>A row-major numeric array as nested values (for ragged arrays assembled from rectangular parts).</summary>
    public static DataValue Nested(ReadOnlySpan<double> values, ReadOnlySpan<int> shape, bool integers)
    {
        if (shape.Length == 0) return integers ? Integer((int)values[0]) : Real(values[0]);
        int n = shape[0];
        int inner = n == 0 ? 0 : values.Length / n;
        var items = new DataValue[n];
        for (int i = 0; i < n; i++) items[i] = Nested(values.Slice(i * inner, inner), shape[1..], integers);
        return Array(items);
    }

    public string Describe() => Items is { } a ? $"an array of length {a.Length}" : Shape is { } s ? $"an array of length {s[0]}" : IsInteger ? $"the integer {Number}" : $"the number {Format(Number)}";

    public static string Format(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "Infinity" : double.IsNegativeInfinity(v) ? "-Infinity" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
