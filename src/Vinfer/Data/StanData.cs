using System.Globalization;
using System.Text;
using System.Text.Json;
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

    /// <summary>Reads and parses a data-JSON file.</summary>
    public static StanData Load(string path) => Parse(DataFile.ReadAllText(path), path);

    /// <summary>Parses data-JSON text; <paramref name="source"/> names it in error messages.</summary>
    public static StanData Parse(string json, string source = "data")
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(QuoteBareNonFinite(json), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            string line = e.LineNumber is { } l ? $" at line {l + 1}" : "";
            string column = e.BytePositionInLine is { } c ? $", column {c + 1}" : "";
            string reason = e.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut].TrimEnd();
            throw new DataFormatException($"{source}: malformed JSON{line}{column}: {reason}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new DataFormatException($"{source}: expected a JSON object of data fields, got {Kind(doc.RootElement)}");
            var fields = new Dictionary<string, DataValue>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (fields.ContainsKey(property.Name))
                    throw new DataFormatException($"{source}: field '{property.Name}' appears twice");
                fields.Add(property.Name, Convert(property.Value, source, property.Name, []));
            }
            return new StanData(fields, source);
        }
    }

    /// <summary>
    /// CmdStan's JSON reader also accepts the bare tokens NaN, Infinity and -Infinity; standard JSON does not, so
    /// they are quoted (outside strings) before parsing. Column numbers in error messages on such lines shift by
    /// two per quoted token.
    /// </summary>
    private static string QuoteBareNonFinite(string json)
    {
        if (!json.Contains("NaN", StringComparison.Ordinal) && !json.Contains("Infinity", StringComparison.Ordinal)) return json;
        var sb = new StringBuilder(json.Length + 16);
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < json.Length) sb.Append(json[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') { inString = true; sb.Append(c); continue; }
            string? token = null;
            foreach (var t in (ReadOnlySpan<string>)["NaN", "Infinity", "-Infinity"])
                if (string.CompareOrdinal(json, i, t, 0, t.Length) == 0 && (i + t.Length == json.Length || !char.IsLetterOrDigit(json[i + t.Length])))
                {
                    token = t;
                    break;
                }
            if (token is null) { sb.Append(c); continue; }
            sb.Append('"').Append(token).Append('"');
            i += token.Length - 1;
        }
        return sb.ToString();
    }

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
                double[,] m => DataValue.FromFlat(m.Cast<double>().ToArray(), [m.GetLength(0), m.GetLength(1)], false),
                Tensor t => DataValue.FromFlat(t.Span, t.Shape, false),
                _ => throw new ArgumentException($"field '{name}': unsupported value type {v?.GetType().Name ?? "null"}", nameof(values)),
            };
        }
        return new StanData(fields, source);
    }

    private static DataValue Convert(JsonElement e, string source, string field, List<int> path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                if (e.TryGetInt32(out int i)) return DataValue.Integer(i);
                if (e.TryGetDouble(out double d) && double.IsFinite(d)) return DataValue.Real(d);
                throw new DataFormatException($"{source}: field '{field}'{At(path)}: number {e.GetRawText()} is out of range");
            case JsonValueKind.String:
                string s = e.GetString()!;
                if (TryParseSpecial(s, out double special)) return DataValue.Real(special);
                throw new DataFormatException($"{source}: field '{field}'{At(path)}: expected a number, got the string \"{s}\" (only \"NaN\", \"Infinity\" and \"-Infinity\" are allowed as strings)");
            case JsonValueKind.Array:
                var items = new DataValue[e.GetArrayLength()];
                int k = 0;
                foreach (var item in e.EnumerateArray())
                {
                    path.Add(k + 1);
                    items[k++] = Convert(item, source, field, path);
                    path.RemoveAt(path.Count - 1);
                }
                return DataValue.Array(items);
            default:
                throw new DataFormatException($"{source}: field '{field}'{At(path)}: expected a number or an array, got {Kind(e)}");
        }
    }

    private static string At(List<int> path) => path.Count == 0 ? "" : " at [" + string.Join(", ", path) + "]";

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString(),
    };

    /// <summary>Parses Stan's spellings of the non-finite values.</summary>
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
        if (v.Items is { } items) foreach (var item in items) Flatten(item, into);
        else into.Add(v.Number);
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
            sb.Append("  ").Append(JsonSerializer.Serialize(name)).Append(": ");
            WriteJson(sb, v);
            sb.Append(++k < _fields.Count ? ",\n" : "\n");
        }
        return sb.Append("}\n").ToString();
    }

    private static void WriteJson(StringBuilder sb, DataValue v)
    {
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
}
