using System.Globalization;

namespace Vinfer.Experiments.Reports;

/// <summary>
/// The parameter columns of a Stan CSV file (CmdStan's layout, as Vinfer's draws.csv writes it): '#' comment lines
/// are skipped, the sampler columns ending in "__" dropped, and with <c>output_samples</c> in the header (the
/// variational layout) the first row, the approximation's mean, is kept apart from the draws.
/// </summary>
public sealed class StanCsvDraws
{
    private StanCsvDraws(string[] names, double[][] columns, double[]? meanRow)
    {
        Names = names;
        Columns = columns;
        MeanRow = meanRow;
    }

    /// <summary>Column names as written (<c>theta.1</c>).</summary>
    public string[] Names { get; }

    /// <summary>The draws, one array per parameter.</summary>
    public double[][] Columns { get; }

    /// <summary>The variational layout's first row (the approximation's mean), or null.</summary>
    public double[]? MeanRow { get; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static StanCsvDraws Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"draws file '{path}' does not exist.", path);
        string[]? header = null;
        bool variational = false;
        var rows = new List<double[]>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if (line[0] == '#')
            {
                if (header is null && line.Contains("output_samples", StringComparison.Ordinal)) variational = true;
                continue;
            }
            var cells = line.Split(',');
            if (header is null) { header = cells; continue; }
            if (cells.Length != header.Length)
                throw new FormatException($"{path}, line {lineNumber}: {cells.Length} values for {header.Length} columns.");
            var row = new double[cells.Length];
            for (int j = 0; j < cells.Length; j++) row[j] = ParseCell(cells[j], path, lineNumber);
            rows.Add(row);
        }
        if (header is null) throw new FormatException($"{path}: no header line.");
        var keep = Enumerable.Range(0, header.Length).Where(j => !header[j].EndsWith("__", StringComparison.Ordinal)).ToArray();
        double[]? mean = null;
        if (variational && rows.Count > 0) { mean = keep.Select(j => rows[0][j]).ToArray(); rows.RemoveAt(0); }
        var columns = keep.Select(j => rows.Select(r => r[j]).ToArray()).ToArray();
        return new StanCsvDraws(keep.Select(j => header[j]).ToArray(), columns, mean);
    }

    private static double ParseCell(string cell, string path, int line) => cell switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new FormatException($"{path}, line {line}: '{cell}' is not a number."),
    };
}
