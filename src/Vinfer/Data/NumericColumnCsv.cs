using System.Globalization;

namespace Vinfer.Data;

/// <summary>
/// Reads one numeric column of a comma-separated file: a one-column file with or without a header, or a named column
/// of a file with a header row. Blank lines are skipped. Every failure is an <see cref="DataFormatException"/> whose
/// message names the source and line: a non-numeric or empty cell, a non-finite value (NaN, ±Infinity), a short
/// row, a missing column, or a file without data rows.
/// </summary>
public static class NumericColumnCsv
{
    /// <summary>Reads the column from the file at <paramref name="path"/>.</summary>
    public static double[] ReadFile(string path, string? column = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        using var reader = new StreamReader(path);
        return Read(reader, path, column);
    }

    /// <summary>Reads the column from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    public static double[] Read(TextReader reader, string source, string? column = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var values = new List<double>();
        int lineNumber = 0, columnIndex = -1, width = -1;
        string columnName = column ?? "1";
        bool first = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            string[] cells = line.Split(',');
            for (int i = 0; i < cells.Length; i++) cells[i] = Unquote(cells[i].Trim());
            if (first)
            {
                first = false;
                width = cells.Length;
                if (column is not null)
                {
                    columnIndex = Array.IndexOf(cells, column);
                    if (columnIndex < 0)
                        throw new DataFormatException($"{source}, line {lineNumber}: the header has no column '{column}' (columns: {string.Join(", ", cells)}).");
                    continue;
                }
                if (cells.Length != 1)
                    throw new DataFormatException($"{source}, line {lineNumber}: the file has {cells.Length} columns; name the one to read (e.g. --column NAME).");
                columnIndex = 0;
                if (!double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    columnName = cells[0];
                    continue; // a header
                }
            }
            if (cells.Length != width)
                throw new DataFormatException($"{source}, line {lineNumber}: expected {width} cells, found {cells.Length}.");
            string cell = cells[columnIndex];
            if (cell.Length == 0)
                throw new DataFormatException($"{source}, line {lineNumber}: the cell in column '{columnName}' is empty.");
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new DataFormatException($"{source}, line {lineNumber}: '{cell}' in column '{columnName}' is not a number.");
            if (!double.IsFinite(value))
                throw new DataFormatException($"{source}, line {lineNumber}: '{cell}' in column '{columnName}' is not a finite number.");
            values.Add(value);
        }
        if (values.Count == 0)
            throw new DataFormatException($"{source}: the series is empty (no data rows after line {lineNumber}).");
        return values.ToArray();
    }

    private static string Unquote(string cell) =>
        cell.Length >= 2 && cell[0] == '"' && cell[^1] == '"' ? cell[1..^1].Replace("\"\"", "\"") : cell;
}
