using System.Globalization;

namespace Vinfer.Random;

/// <summary>Validation at the public boundary of <see cref="Sample"/>: one clear message naming sampler, argument and value.</summary>
internal static class SamplerArguments
{
    internal static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static void SameLength(string sampler, string argument, int length, int destinationLength)
    {
        if (length != destinationLength)
            throw new ArgumentException(
                $"{sampler}: {argument} has length {length} but the destination has length {destinationLength}; " +
                "per-element parameters must match the destination element for element", argument);
    }

    internal static void Positive(string sampler, string argument, double value)
    {
        if (!(value > 0) || double.IsPositiveInfinity(value))
            throw new ArgumentOutOfRangeException(argument, $"{sampler}: {argument} must be > 0 and finite, got {Show(value)}");
    }

    internal static void Positive(string sampler, string argument, ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!(values[i] > 0) || double.IsPositiveInfinity(values[i]))
                throw new ArgumentOutOfRangeException(argument,
                    $"{sampler}: {argument}[{i}] must be > 0 and finite, got {Show(values[i])}");
    }

    internal static void NonNegative(string sampler, string argument, double value)
    {
        if (!(value >= 0) || double.IsPositiveInfinity(value))
            throw new ArgumentOutOfRangeException(argument, $"{sampler}: {argument} must be >= 0 and finite, got {Show(value)}");
    }

    internal static void NonNegative(string sampler, string argument, ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!(values[i] >= 0) || double.IsPositiveInfinity(values[i]))
                throw new ArgumentOutOfRangeException(argument,
                    $"{sampler}: {argument}[{i}] must be >= 0 and finite, got {Show(values[i])}");
    }

    internal static void Finite(string sampler, string argument, double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(argument, $"{sampler}: {argument} must be finite, got {Show(value)}");
    }

    internal static void Finite(string sampler, string argument, ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentOutOfRangeException(argument,
                    $"{sampler}: {argument}[{i}] must be finite, got {Show(values[i])}");
    }

    internal static void Probability(string sampler, string argument, double value)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(argument, $"{sampler}: {argument} must be in [0, 1], got {Show(value)}");
    }

    internal static void Probability(string sampler, string argument, ReadOnlySpan<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            if (!(values[i] >= 0 && values[i] <= 1))
                throw new ArgumentOutOfRangeException(argument,
                    $"{sampler}: {argument}[{i}] must be in [0, 1], got {Show(values[i])}");
    }
}
