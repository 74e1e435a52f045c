using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vinfer.Tensors;

namespace Vinfer.Data;

/// <summary>
/// Data in Stan's data-JSON format (CmdStan Guide, "JSON format for CmdStan"): an object whose fields are numbers,
/// or arrays of them nested to any depth (a matrix is an array of rows); the strings "NaN", "Infinity",
/// "-Infinity" (also "inf", "-inf", any case) stand for the non-finite values, and, as CmdStan's reader allows, so do
/// the bare tokens NaN, Infinity and -Infinity. Typed accessors check the field's
/// presence, type and shape and throw a <see cref="DataFormatException"/> that names the field and what was
/// expected. Indices in messages are 1-based, as in Stan.
/// </summary>
public sealed class StanData
{
    private readonly Dictionary<string, DataValue> _fields;

    private StanData(Dictionary<string, DataValue> fields, string source)
    {
        _fields = fields;
        Source = source;
    }

    /// <summary>Where the data came from (a file path or a description), used in error messages.</summary>
    public string Source { get; }

    /// <summary>The field names, in file order.</summary>
    public IReadOnlyCollection<string> Names => _fields.Keys;

    /// <summary>Whether the field exists.</summary>
    public bool Contains(string name) => _fields.ContainsKey(name);

    /// <summary>The raw fields (for <see cref="StanDataRows"/>).</summary>
    internal IReadOnlyDictionary<string, DataValue> Fields => _fields;

    /// <summary>Reads and parses a data-JSON file.</summary>
    public static StanData Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Stream stream;
        try { stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
        using (stream) return new StanData(StreamingJsonReader.Read(stream, path), path);
    }

    /// <summary>Parses data-JSON text; <paramref name="source"/> names it in error messages.</summary>
    public static StanData Parse(string json, string source = "data")
    {
        ArgumentNullException.ThrowIfNull(json);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json), writable: false);
        return new StanData(StreamingJsonReader.Read(stream, source), source);
    }

    /// <summary>Data from already-built values (readers that produce dense arrays directly).</summary>
    internal static StanData FromFields(Dictionary<string, DataValue> fields, string source) => new(fields, source);

    /// <summary>Builds data from values given in code: int, double, int[], double[], double[,], int[,] or <see cref="Tensor"/>.</summary>
    public static StanData FromValues(IEnumerable<KeyValuePair<string, object>> values, string source = "data")
    {
        var fields = new Dictionary<string, DataValue>(StringComparer.Ordinal);
        foreach (var (name, v) in values)
        {
            fields[name] = v switch
            {
                int i => DataValue.Integer(i),
                double d => DataValue.Real(d),
                int[] a => DataValue.FromFlat(a.Select(x => (double)x).ToArray(), [a.Length], true),
                double[] a => DataValue.FromFlat(a, [a.Length], false),
                int[,] m => DataValue.FromFlat(m.Cast<int>().Select(x => (double)x).ToArray(), [m.GetLength(0), m.GetLength(1)], true),
                double[,] m => DataValue.FromFlat(m.Length == 0 ? [] : System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpan(ref m[0, 0], m.Length), [m.GetLength(0), m.GetLength(1)], false),
                Tensor t => DataValue.FromFlat(t.Span, t.Shape, false),
                _ => throw new ArgumentException($"field '{name}': unsupported value type {v?.GetType().Name ?? "null"}", nameof(values)),
            };
        }
        return new StanData(fields, source);
    }

    internal static bool TryParseSpecial(string s, out double value)
    {
        switch (s.Trim().ToLowerInvariant())
        {
            case "nan": value = double.NaN; return true;
            case "inf" or "+inf" or "infinity" or "+infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
            default: value = 0; return false;
        }
    }

    private DataValue Field(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _fields.TryGetValue(name, out var v) ? v : throw new DataFormatException($"{Source}: missing field '{name}'");
    }

    private DataFormatException Error(string name, string message) => new($"{Source}: field '{name}': {message}");

    private DataFormatException NonFinite(string name, double value, string where) => new($"{Source}: field '{name}' has {DataValue.Format(value)} at {where}");

    /// <summary>An integer scalar.</summary>
    public int GetInt(string name)
    {
        var v = Field(name);
        if (v.IsArray || !v.IsInteger) throw Error(name, $"expected an integer, got {v.Describe()}");
        return (int)v.Number;
    }

    /// <summary>An integer scalar that must lie in [<paramref name="min"/>, <paramref name="max"/>] (e.g. a size ≥ 0).</summary>
    public int GetInt(string name, int min, int max = int.MaxValue)
    {
        int value = GetInt(name);
        if (value < min || value > max)
            throw Error(name, max == int.MaxValue ? $"expected an integer ≥ {min}, got {value}" : $"expected an integer in [{min}, {max}], got {value}");
        return value;
    }

    /// <summary>A real scalar (an integer is accepted). Non-finite values are rejected unless allowed.</summary>
    public double GetReal(string name, bool allowNonFinite = false)
    {
        var v = Field(name);
        if (v.IsArray) throw Error(name, $"expected a number, got {v.Describe()}");
        if (!allowNonFinite && !double.IsFinite(v.Number)) throw Error(name, $"is {DataValue.Format(v.Number)}");
        return v.Number;
    }

    /// <summary>The shape of a field: empty for a scalar, else the sizes of the nested arrays (checked rectangular).</summary>
    public int[] GetShape(string name)
    {
        var v = Field(name);
        if (v.Shape is { } dense) return (int[])dense.Clone();
        var shape = new List<int>();
        for (var cur = v; cur.Items is { } items; cur = items[0])
        {
            shape.Add(items.Length);
            if (items.Length == 0) break;
        }
        CheckShape(name, v, shape, 0, []);
        return [.. shape];
    }

    private void CheckShape(string name, DataValue v, List<int> shape, int depth, List<int> path)
    {
        if (v.Shape is { } denseShape)
        {
            for (int k = 0; k < denseShape.Length; k++)
            {
                if (depth + k >= shape.Count) throw Error(name, $"ragged array: element {Index(path)} is {v.Describe()}, expected a number");
                if (denseShape[k] != shape[depth + k]) throw Error(name, $"ragged array: element {Index(path)} has length {denseShape[k]}, expected {shape[depth + k]}");
            }
            if (depth + denseShape.Length != shape.Count) throw Error(name, $"ragged array: element {Index(path)} is an array of numbers, expected arrays");
            return;
        }
        if (depth == shape.Count)
        {
            if (v.IsArray) throw Error(name, $"ragged array: element {Index(path)} is {v.Describe()}, expected a number");
            return;
        }
        if (v.Items is not { } items)
            throw Error(name, $"ragged array: element {Index(path)} is {v.Describe()}, expected an array of length {shape[depth]}");
        if (items.Length != shape[depth])
            throw Error(name, $"ragged array: element {Index(path)} has length {items.Length}, expected {shape[depth]}");
        for (int i = 0; i < items.Length; i++)
        {
            path.Add(i + 1);
            CheckShape(name, items[i], shape, depth + 1, path);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static string Index(List<int> path) => path.Count == 0 ? "(the whole field)" : "[" + string.Join(", ", path) + "]";

    /// <summary>A one-dimensional integer array, optionally of an expected length.</summary>
    public int[] GetIntArray(string name, int? length = null)
    {
        var v = Field(name);
        if (v.Values is { } dense)
        {
            if (v.Shape!.Length != 1) throw Error(name, $"expected an integer array{LengthText(length)}, but element 1 is an array");
            int count = v.Shape[0];
            if (length is { } m && count != m) throw Error(name, $"expected an integer array of length {m}, got length {count}");
            if (v.FirstNonInteger >= 0) throw Error(name, $"expected an integer at index {v.FirstNonInteger + 1}, got the number {DataValue.Format(dense[v.FirstNonInteger])}");
            var ints = new int[count];
            for (int i = 0; i < ints.Length; i++) ints[i] = (int)dense[i];
            return ints;
        }
        if (v.Items is not { } items) throw Error(name, $"expected an integer array{LengthText(length)}, got {v.Describe()}");
        if (length is { } n && items.Length != n) throw Error(name, $"expected an integer array of length {n}, got length {items.Length}");
        var result = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            var item = items[i];
            if (item.IsArray || !item.IsInteger) throw Error(name, $"expected an integer at index {i + 1}, got {item.Describe()}");
            result[i] = (int)item.Number;
        }
        return result;
    }

    /// <summary>A two-dimensional integer array (array of rows), optionally of expected sizes.</summary>
    public int[,] GetIntMatrix(string name, int? rows = null, int? columns = null)
    {
        var flat = ReadMatrix(name, rows, columns, allowNonFinite: false, integers: true, out int r, out int c);
        var result = new int[r, c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) result[i, j] = (int)flat[i * c + j];
        return result;
    }

    /// <summary>A vector (one-dimensional array of reals) as a 1-D tensor, optionally of an expected length.
    /// NaN and infinite entries are rejected unless allowed.</summary>
    public Tensor GetVector(string name, int? length = null, bool allowNonFinite = false)
    {
        var v = Field(name);
        if (v.Values is { } dense)
        {
            if (v.Shape!.Length != 1) throw Error(name, $"expected a vector, but element 1 is an array of length {v.Shape[1]}");
            int count = v.Shape[0];
            if (length is { } m && count != m) throw Error(name, $"expected a vector of length {m}, got length {count}");
            if (!allowNonFinite) CheckFinite(name, dense, v.Shape);
            return Tensor.Wrap(dense, count);
        }
        if (v.Items is not { } items) throw Error(name, $"expected a vector{LengthText(length)}, got {v.Describe()}");
        if (length is { } n && items.Length != n) throw Error(name, $"expected a vector of length {n}, got length {items.Length}");
        var values = new double[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            var item = items[i];
            if (item.IsArray) throw Error(name, $"expected a vector, but element {i + 1} is {item.Describe()}");
            if (!allowNonFinite && !double.IsFinite(item.Number)) throw NonFinite(name, item.Number, $"index {i + 1}");
            values[i] = item.Number;
        }
        return Tensor.Wrap(values, values.Length);
    }

    /// <summary>A matrix given as an array of rows, as a 2-D tensor, optionally of expected sizes.
    /// NaN and infinite entries are rejected unless allowed.</summary>
    public Tensor GetMatrix(string name, int? rows = null, int? columns = null, bool allowNonFinite = false)
    {
        var flat = ReadMatrix(name, rows, columns, allowNonFinite, integers: false, out int r, out int c);
        return Tensor.Wrap(flat, r, c);
    }

    /// <summary>Any rectangular array (or scalar) of reals as a tensor of its own shape.</summary>
    public Tensor GetArray(string name, bool allowNonFinite = false)
    {
        var shape = GetShape(name);
        if (Field(name).Values is { } dense)
        {
            if (!allowNonFinite) CheckFinite(name, dense, shape);
            return Tensor.Wrap(dense, shape);
        }
        var values = new List<double>();
        Flatten(Field(name), values);
        if (!allowNonFinite)
            for (int i = 0; i < values.Count; i++)
                if (!double.IsFinite(values[i]))
                    throw NonFinite(name, values[i], FormatIndex(i, shape));
        return Tensor.Wrap([.. values], shape);
    }

    private static void Flatten(DataValue v, List<double> into)
    {
        if (v.Values is { } dense) into.AddRange(dense.AsSpan(0, Count(v.Shape!)));
        else if (v.Items is { } items) foreach (var item in items) Flatten(item, into);
        else into.Add(v.Number);
    }

    // The first non-finite entry of a dense array, named by its index.
    private void CheckFinite(string name, double[] values, int[] shape)
    {
        int bad = Array.FindIndex(values, 0, Count(shape), x => !double.IsFinite(x));
        if (bad >= 0) throw NonFinite(name, values[bad], FormatIndex(bad, shape));
    }

    // The number of entries of a dense array of this shape (its array may be longer: see DataValue.Dense).
    private static int Count(int[] shape)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    private static string FormatIndex(int flat, int[] shape)
    {
        if (shape.Length == 0) return "the scalar";
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            idx[d] = flat % shape[d] + 1;
            flat /= shape[d];
        }
        return shape.Length == 1 ? $"index {idx[0]}" : "[" + string.Join(", ", idx) + "]";
    }

    private double[] ReadMatrix(string name, int? rows, int? columns, bool allowNonFinite, bool integers, out int r, out int c)
    {
        var v = Field(name);
        string kind = integers ? "integer matrix" : "matrix";
        string expected = rows is { } er && columns is { } ec ? $"a {er}×{ec} {kind}" : $"a {kind} (array of rows)";
        if (v.Values is { } dense)
        {
            var shape = v.Shape!;
            if (shape.Length == 1)
            {
                var firstItem = v.FirstNonInteger == 0 ? DataValue.Real(dense[0]) : DataValue.Integer((int)dense[0]);
                throw Error(name, $"expected {expected}, got row 1 that is {(shape[0] == 0 ? "missing" : firstItem.Describe())}");
            }
            if (rows is { } dr && shape[0] != dr) throw Error(name, $"expected {expected}, got {shape[0]} rows");
            if (shape.Length > 2) throw Error(name, $"expected {expected}, got an array at [1, 1]");
            r = shape[0];
            c = shape[1];
            if (columns is null) expected = $"a {r}×{c} {kind}";
            if (columns is { } dc && c != dc) throw Error(name, $"expected {expected}, got row 1 of length {c}");
            if (integers && v.FirstNonInteger >= 0)
                throw Error(name, $"expected an integer at [{v.FirstNonInteger / c + 1}, {v.FirstNonInteger % c + 1}], got the number {DataValue.Format(dense[v.FirstNonInteger])}");
            if (!allowNonFinite)
            {
                int bad = Array.FindIndex(dense, 0, r * c, x => !double.IsFinite(x));
                if (bad >= 0) throw NonFinite(name, dense[bad], $"[{bad / c + 1}, {bad % c + 1}]");
            }
            return dense;
        }
        if (v.Items is not { } rowItems) throw Error(name, $"expected {expected}, got {v.Describe()}");
        if (rows is { } nr && rowItems.Length != nr) throw Error(name, $"expected {expected}, got {rowItems.Length} rows");
        r = rowItems.Length;
        c = columns ?? (r > 0 && rowItems[0].Items is { } first ? first.Length : 0);
        if (columns is null && r > 0) expected = $"a {r}×{c} {kind}";
        var flat = new double[r * c];
        for (int i = 0; i < r; i++)
        {
            if (rowItems[i].Items is not { } row) throw Error(name, $"expected {expected}, got row {i + 1} that is {rowItems[i].Describe()}");
            if (row.Length != c) throw Error(name, $"expected {expected}, got row {i + 1} of length {row.Length}");
            for (int j = 0; j < c; j++)
            {
                var item = row[j];
                if (item.IsArray) throw Error(name, $"expected {expected}, got an array at [{i + 1}, {j + 1}]");
                if (integers && !item.IsInteger) throw Error(name, $"expected an integer at [{i + 1}, {j + 1}], got {item.Describe()}");
                if (!allowNonFinite && !double.IsFinite(item.Number)) throw NonFinite(name, item.Number, $"[{i + 1}, {j + 1}]");
                flat[i * c + j] = item.Number;
            }
        }
        return flat;
    }

    private static string LengthText(int? length) => length is { } n ? $" of length {n}" : "";

    /// <summary>Writes the data back as data-JSON (integers as integers, non-finite values as Stan's strings).</summary>
    public string ToJson()
    {
        var sb = new StringBuilder("{\n");
        int k = 0;
        foreach (var (name, v) in _fields)
        {
            sb.Append("  ").Append(JsonValue.Create(name).ToJsonString()).Append(": ");
            WriteJson(sb, v);
            sb.Append(++k < _fields.Count ? ",\n" : "\n");
        }
        return sb.Append("}\n").ToString();
    }

    private static void WriteJson(StringBuilder sb, DataValue v)
    {
        if (v.Values is { } dense)
        {
            WriteDense(sb, dense, v.Shape!, 0, 0, v.FirstNonInteger < 0);
            return;
        }
        if (v.Items is { } items)
        {
            sb.Append('[');
            for (int i = 0; i < items.Length; i++)
            {
                if (i > 0) sb.Append(", ");
                WriteJson(sb, items[i]);
            }
            sb.Append(']');
        }
        else if (!double.IsFinite(v.Number)) sb.Append('"').Append(DataValue.Format(v.Number)).Append('"');
        else sb.Append(v.IsInteger ? ((int)v.Number).ToString(CultureInfo.InvariantCulture) : v.Number.ToString("R", CultureInfo.InvariantCulture));
    }

    private static int WriteDense(StringBuilder sb, double[] values, int[] shape, int depth, int offset, bool integers)
    {
        sb.Append('[');
        for (int i = 0; i < shape[depth]; i++)
        {
            if (i > 0) sb.Append(", ");
            if (depth + 1 < shape.Length) offset = WriteDense(sb, values, shape, depth + 1, offset, integers);
            else WriteJson(sb, integers ? DataValue.Integer((int)values[offset++]) : DataValue.Real(values[offset++]));
        }
        sb.Append(']');
        return offset;
    }
}
