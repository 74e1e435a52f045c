using System.Globalization;
using System.Text;
using Vinfer.Tensors;

namespace Vinfer.Data;

/// <summary>
/// A numeric table read from CSV (RFC 4180: comma-separated, a header row of column names, optional double quotes
/// around fields). Every cell must be a finite number; errors name the file, line and column.
/// Blank lines and lines starting with '#' are skipped.
/// </summary>
public sealed class CsvTable
{
    private readonly double[][] _columns;
    private readonly Dictionary<string, int> _index;

    private CsvTable(string[] names, double[][] columns, int rows, string source)
    {
        ColumnNames = names;
        _columns = columns;
        RowCount = rows;
        Source = source;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) _index[names[i]] = i;
    }

    /// <summary>Where the table came from, for error messages.</summary>
    public string Source { get; }

    /// <summary>Column names from the header row.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount { get; }

    /// <summary>Reads a CSV file.</summary>
    public static CsvTable Load(string path) => Parse(DataFile.ReadAllText(path), path);

    /// <summary>Parses CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static CsvTable Parse(string text, string source = "data.csv")
    {
        ArgumentNullException.ThrowIfNull(text);
        string[]? header = null;
        int headerLine = 0;
        var columns = new List<List<double>>();
        var fields = new List<string>();
        int lineNumber = 0;
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line.AsSpan().Trim().IsEmpty || line.StartsWith('#')) continue;
            SplitLine(line, lineNumber, source, fields);
            if (header is null)
            {
                header = new string[fields.Count];
                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (int j = 0; j < fields.Count; j++)
                {
                    string name = fields[j].Trim();
                    if (name.Length == 0) throw new DataFormatException($"{source}: line {lineNumber}, column {j + 1}: empty column name in the header");
                    if (!seen.Add(name)) throw new DataFormatException($"{source}: line {lineNumber}, column {j + 1}: column name '{name}' appears twice in the header");
                    header[j] = name;
                    columns.Add([]);
                }
                headerLine = lineNumber;
                continue;
            }
            if (fields.Count != header.Length)
                throw new DataFormatException($"{source}: line {lineNumber}: has {fields.Count} fields, the header (line {headerLine}) has {header.Length}");
            for (int j = 0; j < fields.Count; j++)
            {
                string cell = fields[j].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new DataFormatException($"{source}: line {lineNumber}, column {j + 1} ('{header[j]}'): '{cell}' is not a number");
                if (!double.IsFinite(v))
                    throw new DataFormatException($"{source}: line {lineNumber}, column {j + 1} ('{header[j]}'): '{cell}' is not a finite number");
                columns[j].Add(v);
            }
        }
        if (header is null) throw new DataFormatException($"{source}: no header row (the file is empty)");
        int rows = header.Length == 0 ? 0 : columns[0].Count;
        return new CsvTable(header, columns.Select(c => c.ToArray()).ToArray(), rows, source);
    }

    private static void SplitLine(string line, int lineNumber, string source, List<string> fields)
    {
        fields.Clear();
        var sb = new StringBuilder();
        int i = 0;
        while (true)
        {
            sb.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new DataFormatException($"{source}: line {lineNumber}, column {fields.Count + 1}: unterminated quoted field");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',')
                    throw new DataFormatException($"{source}: line {lineNumber}, column {fields.Count + 1}: unexpected text after a quoted field");
            }
            else
            {
                int end = line.IndexOf(',', i);
                if (end < 0) end = line.Length;
                sb.Append(line, i, end - i);
                i = end;
            }
            fields.Add(sb.ToString());
            if (i >= line.Length) break;
            i++; // skip ','
        }
    }

    /// <summary>Whether a column exists.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>A column's values (a copy).</summary>
    public double[] GetColumn(string name) =>
        _index.TryGetValue(name, out int j) ? (double[])_columns[j].Clone() : throw new DataFormatException($"{Source}: missing column '{name}' (columns: {string.Join(", ", ColumnNames)})");

    /// <summary>The given columns as an N×k matrix tensor, in the given order.</summary>
    public Tensor GetMatrix(IReadOnlyList<string> names)
    {
        var cols = names.Select(GetColumn).ToArray();
        var flat = new double[RowCount * cols.Length];
        for (int i = 0; i < RowCount; i++)
            for (int j = 0; j < cols.Length; j++) flat[i * cols.Length + j] = cols[j][i];
        return Tensor.Wrap(flat, RowCount, cols.Length);
    }

    /// <summary>Every column as a vector field named after its header, plus <c>N</c> = the row count
    /// (unless a column is called N).</summary>
    public StanData ToStanData()
    {
        var values = new List<KeyValuePair<string, object>>();
        if (!Contains("N")) values.Add(new("N", RowCount));
        for (int j = 0; j < _columns.Length; j++) values.Add(new(ColumnNames[j], _columns[j]));
        return StanData.FromValues(values, Source);
    }

    /// <summary>
    /// Regression data in the layout of the built-in regression models: <c>N</c>, <c>D</c>, <c>X</c> (N×D, every
    /// column except the response, in file order) and <c>y</c> (the response column).
    /// </summary>
    public StanData ToRegressionData(string response)
    {
        if (!Contains(response)) throw new DataFormatException($"{Source}: missing response column '{response}' (columns: {string.Join(", ", ColumnNames)})");
        var predictors = ColumnNames.Where(n => n != response).ToArray();
        var x = new double[RowCount, predictors.Length];
        for (int j = 0; j < predictors.Length; j++)
        {
            var col = _columns[_index[predictors[j]]];
            for (int i = 0; i < RowCount; i++) x[i, j] = col[i];
        }
        return StanData.FromValues(
        [
            new("N", RowCount), new("D", predictors.Length), new("X", x), new("y", GetColumn(response)),
        ], Source);
    }
}
