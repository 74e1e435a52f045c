using Vinfer.Data;
using Vinfer.Tensors;

namespace Vinfer.Models;

/// <summary>Checks on data fields beyond their shapes, with errors that name the field, the entry and the value.</summary>
public static class ModelData
{
    /// <summary>Throws unless every entry of the vector field is strictly positive.</summary>
    public static Tensor Positive(StanData data, string field, Tensor values)
    {
        var s = values.Span;
        for (int i = 0; i < s.Length; i++)
            if (!(s[i] > 0)) throw new DataFormatException($"{data.Source}: field '{field}': expected positive values, got {s[i]} at index {i + 1}");
        return values;
    }

    /// <summary>Throws unless every entry is 0 or 1.</summary>
    public static Tensor Binary(StanData data, string field, Tensor values)
    {
        var s = values.Span;
        for (int i = 0; i < s.Length; i++)
            if (s[i] != 0 && s[i] != 1) throw new DataFormatException($"{data.Source}: field '{field}': expected 0 or 1, got {s[i]} at index {i + 1}");
        return values;
    }

    /// <summary>Throws unless every entry is a non-negative integer.</summary>
    public static Tensor Counts(StanData data, string field, Tensor values)
    {
        var s = values.Span;
        for (int i = 0; i < s.Length; i++)
            if (!(s[i] >= 0) || s[i] != Math.Floor(s[i])) throw new DataFormatException($"{data.Source}: field '{field}': expected a non-negative integer count, got {s[i]} at index {i + 1}");
        return values;
    }

    /// <summary>
    /// Regression data {N, D, X (N×D), y (N)}: X and y share the data's arrays (no copy, so a model must not write to
    /// them); a model that needs Xᵀ makes it itself, so the others never hold a second copy of X.
    /// </summary>
    public static (int N, int D, Tensor X, Tensor Y) Regression(StanData data)
    {
        int n = data.GetInt("N", 1);
        int d = data.GetInt("D", 1);
        var x = data.GetMatrix("X", n, d);
        var y = data.GetVector("y", n);
        return (n, d, x, y);
    }
}
