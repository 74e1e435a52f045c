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
    public static CsvTable Load(string path) => Load(path, 0, long.MaxValue);

    /// <summary>
    /// Reads data rows <paramref name="firstRow"/> … firstRow + rowCount − 1 (0-based, header and blank or comment
    /// lines not counted) of a CSV file: the other rows are skipped unparsed, so a process that owns a block of the
    /// rows parses and holds only its own (error messages keep the file's line numbers).
    /// </summary>
    public static CsvTable Load(string path, long firstRow, long rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentException.ThrowIfNullOrEmpty(path);
        StreamReader reader;
        try { reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16, Options = FileOptions.SequentialScan }); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
        try
        {
            using (reader) return Parse(reader, path, firstRow, rowCount);
        }
        catch (IOException e)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
    }

    /// <summary>The number of data rows of a CSV file (lines after the header that are neither blank nor comments), without parsing them.</summary>
    public static long CountRows(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16, Options = FileOptions.SequentialScan });
            long rows = -1; // the first counted line is the header
            while (reader.ReadLine() is { } line)
                if (!(line.Length == 0 || line.AsSpan().Trim().IsEmpty || line.StartsWith('#'))) rows++;
            return Math.Max(rows, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
    }

    /// <summary>A table from columns already read (the Parquet reader); takes ownership of the arrays.</summary>
    internal static CsvTable FromColumns(string[] names, double[][] columns, int rows, string source) => new(names, columns, rows, source);

    /// <summary>Parses CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static CsvTable Parse(string text, string source = "data.csv")
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(reader, source, 0, long.MaxValue);
    }

    // One pass over the lines: cells are parsed from spans of the line (strings only for quoted cells) straight into
    // chunked column buffers, so the table costs its values once while it is read.
    private static CsvTable Parse(TextReader reader, string source, long firstRow, long rowCount)
    {
        long dataRow = -1, lastRow = rowCount > long.MaxValue - firstRow ? long.MaxValue : firstRow + rowCount;
        string[]? header = null;
        int headerLine = 0;
        var columns = new List<ChunkedDoubles>();
        var fields = new List<string>();
        var ranges = new List<Range>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line.AsSpan().Trim().IsEmpty || line.StartsWith('#')) continue;
            if (header is not null && (++dataRow < firstRow || dataRow >= lastRow)) continue; // another process's row
            if (header is not null && !line.Contains('"'))
            {
                ranges.Clear();
                int from = 0;
                for (int comma; (comma = line.IndexOf(',', from)) >= 0; from = comma + 1) ranges.Add(from..comma);
                ranges.Add(from..line.Length);
                if (ranges.Count != header.Length)
                    throw new DataFormatException($"{source}: line {lineNumber}: has {ranges.Count} fields, the header (line {headerLine}) has {header.Length}");
                for (int j = 0; j < ranges.Count; j++)
                    columns[j].Add(Cell(line.AsSpan(ranges[j]).Trim(), source, lineNumber, j, header));
                continue;
            }
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
                    columns.Add(new ChunkedDoubles());
                }
                headerLine = lineNumber;
                continue;
            }
            if (fields.Count != header.Length)
                throw new DataFormatException($"{source}: line {lineNumber}: has {fields.Count} fields, the header (line {headerLine}) has {header.Length}");
            for (int j = 0; j < fields.Count; j++)
                columns[j].Add(Cell(fields[j].AsSpan().Trim(), source, lineNumber, j, header));
        }
        if (header is null) throw new DataFormatException($"{source}: no header row (the file is empty)");
        int rows = header.Length == 0 ? 0 : (int)columns[0].Count;
        var arrays = new double[columns.Count][];
        for (int j = 0; j < columns.Count; j++)
        {
            arrays[j] = GC.AllocateUninitializedArray<double>(rows);
            columns[j].CopyTo(0, arrays[j]);
            columns[j].Truncate(0); // release this column's chunks before the next column is copied out
        }
        return new CsvTable(header, arrays, rows, source);
    }

    private static double Cell(ReadOnlySpan<char> cell, string source, int lineNumber, int column, string[] header)
    {
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new DataFormatException($"{source}: line {lineNumber}, column {column + 1} ('{header[column]}'): '{Shown(cell)}' is not a number");
        if (!double.IsFinite(v))
            throw new DataFormatException($"{source}: line {lineNumber}, column {column + 1} ('{header[column]}'): '{Shown(cell)}' is not a finite number");
        return v;
    }

    // A cell as an error shows it: at most 40 characters, control characters as '?', so binary input is not echoed.
    private static string Shown(ReadOnlySpan<char> cell)
    {
        var text = cell.Length > 40 ? string.Concat(cell[..40], "…") : cell.ToString();
        return string.Create(text.Length, text, (span, t) =>
        {
            for (int i = 0; i < t.Length; i++) span[i] = char.IsControl(t[i]) ? '?' : t[i];
        });
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
        int d = predictors.Length;
        var x = GC.AllocateUninitializedArray<double>(RowCount * d);
        for (int j = 0; j < d; j++)
        {
            var col = _columns[_index[predictors[j]]];
            for (int i = 0; i < RowCount; i++) x[(long)i * d + j] = col[i];
        }
        // Dense fields that own their arrays: X is the one copy of the predictors, y shares the table's column.
        return StanData.FromFields(new Dictionary<string, DataValue>(StringComparer.Ordinal)
        {
            ["N"] = DataValue.Integer(RowCount),
            ["D"] = DataValue.Integer(d),
            ["X"] = DataValue.Dense(x, [RowCount, d], 0),
            ["y"] = DataValue.Dense(_columns[_index[response]], [RowCount], 0),
        }, Source);
    }
}
