using System.Globalization;
using System.Text;
using Vinfer.Tensors;

namespace Vinfer.Data;

/// <summary>
/// A numeric table read from CSV (RFC 4180: comma-separated, a header row of column names, optional double quotes
/// around fields). Every cell must be a finite number; errors name the file, line and column.
/// Blank lines and lines starting with '#' are skipped. The cells are held once, row-major, in one array sized by a
/// first pass that counts the data lines (at disk speed), so a table costs its values in doubles and no more; regression
/// data can be made from that array in place (<see cref="MoveToRegressionData"/>).
/// </summary>
public sealed class CsvTable
{
    private double[]? _cells; // row-major RowCount × Width; null once moved into regression data
    private readonly Dictionary<string, int> _index;

    private CsvTable(string[] names, double[] cells, int rows, string source)
    {
        ColumnNames = names;
        _cells = cells;
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

    private int Width => ColumnNames.Count;

    private double[] Cells => _cells ?? throw new InvalidOperationException(
        $"{Source}: the table's cells were moved into regression data by ToRegressionData; read the table again to use it otherwise.");

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
        long lines;
        try
        {
            lines = CountContentLines(path);
            reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16, Options = FileOptions.SequentialScan });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
        try
        {
            using (reader) return Parse(reader, path, Math.Clamp(lines - 1 - firstRow, 0, rowCount), firstRow, rowCount);
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
            return Math.Max(CountContentLines(path) - 1, 0); // the first counted line is the header
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException($"{path}: cannot read data file: {e.Message}", e);
        }
    }

    /// <summary>A table from row-major cells already read (the Parquet reader); takes ownership of the array.</summary>
    internal static CsvTable FromRows(string[] names, double[] cells, int rows, string source) => new(names, cells, rows, source);

    /// <summary>Parses CSV text; <paramref name="source"/> names it in error messages.</summary>
    public static CsvTable Parse(string text, string source = "data.csv")
    {
        ArgumentNullException.ThrowIfNull(text);
        using var reader = new StringReader(text);
        return Parse(reader, source, text.Count(c => c == '\n') + 1, 0, long.MaxValue);
    }

    /// <summary>
    /// The lines the parser keeps (not blank, not starting with '#'), counted on the bytes: the header plus the rows.
    /// Line ends are \n, \r\n or \r as <see cref="TextReader.ReadLine"/> reads them. A count that differs from the
    /// parse (non-ASCII blank lines, say) only costs a resize of the cells at the end.
    /// </summary>
    private static long CountContentLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        long count = 0;
        bool lineStart = true, content = false, comment = false, afterCarriageReturn = false;
        for (int read; (read = stream.Read(buffer)) > 0;)
        {
            foreach (byte b in buffer.AsSpan(0, read))
            {
                if (b == (byte)'\n' && afterCarriageReturn) { afterCarriageReturn = false; continue; }
                afterCarriageReturn = b == (byte)'\r';
                if (b is (byte)'\n' or (byte)'\r')
                {
                    if (content && !comment) count++;
                    lineStart = true;
                    content = comment = false;
                    continue;
                }
                if (lineStart && b == (byte)'#') comment = true;
                lineStart = false;
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\v' or (byte)'\f')) content = true;
            }
        }
        if (content && !comment) count++;
        return count;
    }

    // One pass over the lines: cells are parsed from spans of the line (strings only for quoted cells) straight into
    // the row-major cell array, sized from the counted rows (grown or trimmed when the count was off). Rows outside
    // firstRow … firstRow + rowCount − 1 belong to another process and are skipped unparsed.
    private static CsvTable Parse(TextReader reader, string source, long expectedRows, long firstRow, long rowCount)
    {
        long dataRow = -1, lastRow = rowCount > long.MaxValue - firstRow ? long.MaxValue : firstRow + rowCount;
        string[]? header = null;
        int headerLine = 0;
        double[] cells = [];
        long capacity = 0, filled = 0;
        int rows = 0;
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
                if (filled + header.Length > capacity) cells = Grow(cells, ref capacity, header.Length, source);
                for (int j = 0; j < ranges.Count; j++)
                    cells[filled++] = Cell(line.AsSpan(ranges[j]).Trim(), source, lineNumber, j, header);
                rows++;
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
                }
                headerLine = lineNumber;
                capacity = CellCount(expectedRows, header.Length, source);
                cells = GC.AllocateUninitializedArray<double>((int)capacity);
                continue;
            }
            if (fields.Count != header.Length)
                throw new DataFormatException($"{source}: line {lineNumber}: has {fields.Count} fields, the header (line {headerLine}) has {header.Length}");
            if (filled + header.Length > capacity) cells = Grow(cells, ref capacity, header.Length, source);
            for (int j = 0; j < fields.Count; j++)
                cells[filled++] = Cell(fields[j].AsSpan().Trim(), source, lineNumber, j, header);
            rows++;
        }
        if (header is null) throw new DataFormatException($"{source}: no header row (the file is empty)");
        if (header.Length == 0) rows = 0;
        if (filled != cells.Length) Array.Resize(ref cells, (int)filled);
        return new CsvTable(header, cells, rows, source);
    }

    private static long CellCount(long rows, int width, string source)
    {
        long cells = rows * width;
        if (cells > Array.MaxLength)
            throw new DataFormatException($"{source}: {rows} rows of {width} columns ({cells} cells) are more than one array holds ({Array.MaxLength}); use Parquet row groups or split the file");
        return cells;
    }

    // The counted rows were too few (a line ending the count does not know): grow by half.
    private static double[] Grow(double[] cells, ref long capacity, int width, string source)
    {
        long rows = capacity / Math.Max(width, 1);
        capacity = CellCount(Math.Max(rows + rows / 2, rows + 1024), width, source);
        Array.Resize(ref cells, (int)capacity);
        return cells;
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

    private int ColumnIndex(string name) =>
        _index.TryGetValue(name, out int j) ? j : throw new DataFormatException($"{Source}: missing column '{name}' (columns: {string.Join(", ", ColumnNames)})");

    /// <summary>A column's values (a copy).</summary>
    public double[] GetColumn(string name)
    {
        int j = ColumnIndex(name), width = Width;
        var cells = Cells;
        var column = GC.AllocateUninitializedArray<double>(RowCount);
        for (int i = 0; i < column.Length; i++) column[i] = cells[(long)i * width + j];
        return column;
    }

    /// <summary>The given columns as an N×k matrix tensor, in the given order (a copy).</summary>
    public Tensor GetMatrix(IReadOnlyList<string> names)
    {
        var indices = names.Select(ColumnIndex).ToArray();
        var cells = Cells;
        int k = indices.Length, width = Width;
        var flat = new double[RowCount * k];
        for (int i = 0; i < RowCount; i++)
            for (int j = 0; j < k; j++) flat[i * k + j] = cells[(long)i * width + indices[j]];
        return Tensor.Wrap(flat, RowCount, k);
    }

    /// <summary>Every column as a vector field named after its header, plus <c>N</c> = the row count
    /// (unless a column is called N).</summary>
    public StanData ToStanData()
    {
        var values = new List<KeyValuePair<string, object>>();
        if (!Contains("N")) values.Add(new("N", RowCount));
        foreach (var name in ColumnNames) values.Add(new(name, GetColumn(name)));
        return StanData.FromValues(values, Source);
    }

    /// <summary>
    /// Regression data in the layout of the built-in regression models: <c>N</c>, <c>D</c>, <c>X</c> (N×D, every
    /// column except the response, in file order) and <c>y</c> (the response column). A copy: the table stays
    /// readable and the data are held twice; <see cref="MoveToRegressionData"/> makes them in place.
    /// </summary>
    public StanData ToRegressionData(string response)
    {
        if (!Contains(response)) throw MissingResponse(response);
        var predictors = ColumnNames.Where(n => n != response).ToArray();
        return Regression(GetMatrix(predictors).Span.ToArray(), predictors.Length, GetColumn(response));
    }

    /// <summary>
    /// <see cref="ToRegressionData"/> made in place in the table's own cell array (the response column copied out,
    /// the other cells moved left row by row), so the data are never held twice: the way to load large data. The
    /// table is emptied: reading it afterwards throws.
    /// </summary>
    public StanData MoveToRegressionData(string response)
    {
        if (!Contains(response)) throw MissingResponse(response);
        var y = GetColumn(response);
        var cells = Cells;
        int r = _index[response], width = Width, d = width - 1;
        long to = 0;
        // row i's cells move from i·width to i·d: never ahead of where they are read, so one forward pass is safe
        for (long i = 0; i < RowCount; i++)
        {
            long from = i * width;
            if (r > 0) { cells.AsSpan((int)from, r).CopyTo(cells.AsSpan((int)to, r)); to += r; }
            int after = width - r - 1;
            if (after > 0) { cells.AsSpan((int)(from + r + 1), after).CopyTo(cells.AsSpan((int)to, after)); to += after; }
        }
        cells.AsSpan((int)to).Clear(); // the unused tail (one column's worth) is zero, never stale values
        _cells = null;
        return Regression(cells, d, y);
    }

    private DataFormatException MissingResponse(string response) =>
        new($"{Source}: missing response column '{response}' (columns: {string.Join(", ", ColumnNames)})");

    // Dense fields that own their arrays: X (row-major, its array possibly longer than N·D) and y.
    private StanData Regression(double[] x, int d, double[] y) =>
        StanData.FromFields(new Dictionary<string, DataValue>(StringComparer.Ordinal)
        {
            ["N"] = DataValue.Integer(RowCount),
            ["D"] = DataValue.Integer(d),
            ["X"] = DataValue.Dense(x, [RowCount, d], 0),
            ["y"] = DataValue.Dense(y, [RowCount], 0),
        }, Source);
}
