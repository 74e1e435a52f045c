namespace Vinfer.Data;

/// <summary>One value of a data file: a number (flagged when written as an integer) or an array of values.</summary>
internal sealed class DataValue
{
    private DataValue(double number, bool isInteger, DataValue[]? items)
    {
        Number = number;
        IsInteger = isInteger;
        Items = items;
    }

    public double Number { get; }
    public bool IsInteger { get; }
    public DataValue[]? Items { get; }
    public bool IsArray => Items is not null;

    public static DataValue Real(double value) => new(value, false, null);
    public static DataValue Integer(int value) => new(value, true, null);
    public static DataValue Array(DataValue[] items) => new(0, false, items);

    /// <summary>A row-major numeric array as nested values.</summary>
    public static DataValue FromFlat(ReadOnlySpan<double> values, ReadOnlySpan<int> shape, bool integers)
    {
        if (shape.Length == 0) return integers ? Integer((int)values[0]) : Real(values[0]);
        int n = shape[0];
        int inner = n == 0 ? 0 : values.Length / n;
        var items = new DataValue[n];
        for (int i = 0; i < n; i++) items[i] = FromFlat(values.Slice(i * inner, inner), shape[1..], integers);
        return Array(items);
    }

    public string Describe() => Items is { } a ? $"an array of length {a.Length}" : IsInteger ? $"the integer {Number}" : $"the number {Format(Number)}";

    public static string Format(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "Infinity" : double.IsNegativeInfinity(v) ? "-Infinity" : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
