// Data at scale (docs/data-at-scale.md): `gen N D DIR` writes regression data as CSV, Stan JSON and Parquet;
// `load FILE` loads it as `vinfer fit` does for a regression model and prints the time. Run under /usr/bin/time -v.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using Vinfer.Data;

if (args[0] == "gen")
{
    int n = int.Parse(args[1]), d = int.Parse(args[2]);
    string dir = args[3];
    var rng = new Random(1);
    var x = new double[(long)n * d];
    var y = new double[n];
    for (long i = 0; i < x.Length; i++) x[i] = Math.Round(rng.NextDouble() * 2 - 1, 6);
    for (int i = 0; i < n; i++) { double eta = 0; for (int j = 0; j < d; j++) eta += x[(long)i * d + j] * (j % 3 - 1) * 0.5; y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0; }
    using (var w = new StreamWriter(Path.Combine(dir, "data.csv")))
    {
        w.Write("y"); for (int j = 0; j < d; j++) w.Write($",x{j + 1}"); w.Write('\n');
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++) { sb.Clear(); sb.Append(y[i].ToString(CultureInfo.InvariantCulture)); for (int j = 0; j < d; j++) sb.Append(',').Append(x[(long)i * d + j].ToString("R", CultureInfo.InvariantCulture)); sb.Append('\n'); w.Write(sb); }
    }
    using (var w = new StreamWriter(Path.Combine(dir, "data.json")))
    {
        w.Write($"{{\"N\": {n}, \"D\": {d}, \"X\": [");
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++) { sb.Clear(); if (i > 0) sb.Append(','); sb.Append('['); for (int j = 0; j < d; j++) { if (j > 0) sb.Append(','); sb.Append(x[(long)i * d + j].ToString("R", CultureInfo.InvariantCulture)); } sb.Append(']'); w.Write(sb); }
        w.Write("], \"y\": [");
        for (int i = 0; i < n; i++) { if (i > 0) w.Write(','); w.Write(y[i] == 1 ? "1" : "0"); }
        w.Write("]}\n");
    }
    var fields = new List<DataField> { new DataField<double>("y") };
    for (int j = 0; j < d; j++) fields.Add(new DataField<double>($"x{j + 1}"));
    var schema = new ParquetSchema(fields.Cast<Field>().ToArray());
    using (var stream = File.Create(Path.Combine(dir, "data.parquet")))
    {
        var writer = ParquetWriter.CreateAsync(schema, stream).GetAwaiter().GetResult();
        int group = 250_000;
        for (int start = 0; start < n; start += group)
        {
            int m = Math.Min(group, n - start);
            using var g = writer.CreateRowGroup();
            g.WriteAsync<double>(fields[0], y.AsMemory(start, m)).GetAwaiter().GetResult();
            for (int j = 0; j < d; j++)
            {
                var col = new double[m];
                for (int i = 0; i < m; i++) col[i] = x[(long)(start + i) * d + j];
                g.WriteAsync<double>(fields[j + 1], col.AsMemory()).GetAwaiter().GetResult();
            }
        }
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
    return 0;
}
// load FILE: the CLI's path for a regression model, then the tensors
var clock = Stopwatch.StartNew();
string path = args[1];
StanData data = path.EndsWith(".json") ? StanData.Load(path) : path.EndsWith(".parquet") ? ParquetTable.Load(path).MoveToRegressionData("y") : CsvTable.Load(path).MoveToRegressionData("y");
int rows = data.GetInt("N"), cols = data.GetInt("D");
var xt = data.GetMatrix("X", rows, cols);
var yt = data.GetVector("y", rows);
Console.WriteLine($"{path}: N={rows} D={cols} load {clock.Elapsed.TotalSeconds:F2} s, managed peak {GC.GetGCMemoryInfo().HeapSizeBytes / 1e6:F0} MB, X[0]={xt.Span[0]}");
return 0;
