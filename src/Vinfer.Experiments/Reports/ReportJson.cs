using System.Text.Json;

namespace Vinfer.Experiments.Reports;

/// <summary>
/// The studies' results.json conventions: a figure that is not finite (a run that never reached a threshold, a
/// diverged estimate) is written as null, since JSON has no NaN or infinity.
/// </summary>
public static class ReportJson
{
    /// <summary>Writes <paramref name="value"/> under <paramref name="name"/>, or null when it is not finite.</summary>
    public static void Number(Utf8JsonWriter writer, string name, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }

    /// <summary>Writes <paramref name="value"/> under <paramref name="name"/>, or null when it is missing or not finite.</summary>
    public static void Number(Utf8JsonWriter writer, string name, double? value) => Number(writer, name, value ?? double.NaN);

    /// <summary>Writes the values as an array under <paramref name="name"/>, each one that is not finite as null.</summary>
    public static void Numbers(Utf8JsonWriter writer, string name, IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(values);
        writer.WriteStartArray(name);
        foreach (double v in values)
            if (double.IsFinite(v)) writer.WriteNumberValue(v);
            else writer.WriteNullValue();
        writer.WriteEndArray();
    }
}
