namespace Vinfer.Data;

/// <summary>The content of an IDX file of unsigned bytes: its dimension sizes and its values in row-major order.</summary>
public sealed class IdxArray
{
    /// <summary>Wraps values with their dimensions; the product of the sizes must equal the number of values.</summary>
    public IdxArray(IReadOnlyList<int> dimensions, byte[] values)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(values);
        if (dimensions.Count is < 1 or > 255)
            throw new ArgumentException($"an IDX array has 1 to 255 dimensions, got {dimensions.Count}.", nameof(dimensions));
        long count = 1;
        foreach (int d in dimensions)
        {
            if (d < 1) throw new ArgumentException($"IDX dimension sizes must be positive, got [{string.Join(", ", dimensions)}].", nameof(dimensions));
            count *= d;
        }
        if (count != values.Length)
            throw new ArgumentException($"dimensions [{string.Join(", ", dimensions)}] hold {count} values, got {values.Length}.", nameof(values));
        Dimensions = dimensions.ToArray();
        Values = values;
    }

    /// <summary>The size of each dimension, outermost first.</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The values in row-major order.</summary>
    public byte[] Values { get; }
}
