namespace Vinfer.Data;

/// <summary>Input data is malformed or does not have the expected fields, shapes or values. The message names the
/// file, field, line or index at fault and is meant to be shown to the user as it is.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public DataFormatException(string message, Exception inner) : base(message, inner) { }

    /// <summary>A number as data errors show it: round-trippable, invariant culture, NaN and infinities spelled out.</summary>
    public static string FormatNumber(double value) => DataValue.Format(value);
}
