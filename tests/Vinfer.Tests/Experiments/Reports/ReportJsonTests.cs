using System.Text;
using System.Text.Json;
using Vinfer.Experiments.Reports;

namespace Vinfer.Tests.Experiments.Reports;

/// <summary>results.json's convention: finite figures as numbers, the rest (NaN, ±∞, missing) as null.</summary>
public class ReportJsonTests
{
    [Fact]
    public void FiguresThatAreNotFiniteAreWrittenAsNull()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            ReportJson.Number(w, "a", 1.5);
            ReportJson.Number(w, "b", double.NaN);
            ReportJson.Number(w, "c", (double?)null);
            ReportJson.Number(w, "d", (double?)-2.0);
            ReportJson.Numbers(w, "e", [0.25, double.PositiveInfinity, double.NegativeInfinity, -3.0]);
            w.WriteEndObject();
        }
        Assert.Equal("{\"a\":1.5,\"b\":null,\"c\":null,\"d\":-2,\"e\":[0.25,null,null,-3]}", Encoding.UTF8.GetString(stream.ToArray()));
    }
}
