using System.Globalization;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>Argument checks shared by distributions: one clear error naming distribution, parameter and value.</summary>
internal static class Validation
{
    /// <summary>Throws when any element of <paramref name="value"/> violates <paramref name="constraint"/>.</summary>
    public static void Check(string distribution, string parameter, Tensor value, Constraint constraint)
    {
        int bad = FirstViolation(value, constraint);
        if (bad < 0) return;
        string message = $"{distribution}: parameter '{parameter}' must be {constraint.Name}, but {Describe(value, constraint, bad)}.";
        throw NonFiniteEvent(value, constraint, bad) ? new NonFiniteParameterException(message, parameter) : new ArgumentException(message, parameter);
    }

    /// <summary>Throws when a value given to LogProb lies outside the support.</summary>
    public static void CheckValue(string distribution, Tensor value, Constraint support)
    {
        int bad = FirstViolation(value, support);
        if (bad < 0) return;
        throw new ArgumentException(
            $"{distribution}.LogProb: the value must be in the support ({support.Name}), but {Describe(value, support, bad)}.", nameof(value));
    }

    /// <summary>Throws naming the distribution and the parameter when a shape is wrong.</summary>
    public static ArgumentException Shape(string distribution, string parameter, string requirement, ReadOnlySpan<int> shape) =>
        new($"{distribution}: parameter '{parameter}' {requirement}, got shape {Shapes.Format(shape)}.", parameter);

    private static int FirstViolation(Tensor value, Constraint constraint)
    {
        if (value.Rank < constraint.EventDim) return 0;
        Tensor mask;
        using (GradMode.Disable()) mask = constraint.Check(value.Detach());
        var m = mask.Span;
        for (int i = 0; i < m.Length; i++) if (m[i] == 0) return i;
        return -1;
    }

    /// <summary>Whether the violating event <paramref name="maskIndex"/> holds a NaN or an infinity (an overflow, not a wrong finite value).</summary>
    private static bool NonFiniteEvent(Tensor value, Constraint constraint, int maskIndex)
    {
        if (value.Rank < constraint.EventDim) return false;
        int eventSize = 1;
        for (int i = value.Rank - constraint.EventDim; i < value.Rank; i++) eventSize *= value.Shape[i];
        var s = value.Span.Slice(maskIndex * eventSize, eventSize);
        foreach (double x in s) if (!double.IsFinite(x)) return true;
        return false;
    }

    private static string Describe(Tensor value, Constraint constraint, int maskIndex)
    {
        if (value.Rank < constraint.EventDim)
            return $"it has shape {Shapes.Format(value.Shape)} (needs at least {constraint.EventDim} dimension(s))";
        int eventSize = 1;
        for (int i = value.Rank - constraint.EventDim; i < value.Rank; i++) eventSize *= value.Shape[i];
        var s = value.Span;
        if (eventSize == 1) return $"element {maskIndex} is {s[maskIndex].ToString("G17", CultureInfo.InvariantCulture)}";
        int shown = Math.Min(eventSize, 8);
        var parts = new string[shown];
        for (int j = 0; j < shown; j++) parts[j] = s[maskIndex * eventSize + j].ToString("G6", CultureInfo.InvariantCulture);
        return $"event {maskIndex} is [{string.Join(", ", parts)}{(eventSize > shown ? ", …" : "")}]";
    }
}
