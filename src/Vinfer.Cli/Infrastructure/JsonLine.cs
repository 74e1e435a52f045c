using System.Globalization;
using System.Text;

namespace Vinfer.Cli.Infrastructure;

/// <summary>One flat JSON object on one line, the benchmarks' output format (strings, integers, doubles to 6 digits).</summary>
internal static class JsonLine
{
    /// <summary>The fields in order as <c>{"key":value,…}</c>.</summary>
    public static string Of(params (string Key, object Value)[] fields)
    {
        var sb = new StringBuilder("{");
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append('"').Append(fields[i].Key).Append("\":");
            switch (fields[i].Value)
            {
                case string text: sb.Append('"').Append(text).Append('"'); break;
                case int n: sb.Append(n.ToString(CultureInfo.InvariantCulture)); break;
                case double v: sb.Append(v.ToString("G6", CultureInfo.InvariantCulture)); break;
                default: throw new ArgumentException($"JsonLine: unsupported value type {fields[i].Value.GetType().Name}.");
            }
        }
        return sb.Append('}').ToString();
    }
}
