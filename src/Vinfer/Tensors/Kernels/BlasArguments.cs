namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Shape and length checks at the public BLAS boundary, so that a bad call fails with one message naming the
/// function, the argument and the values instead of reading out of bounds in a kernel.
/// </summary>
internal static class BlasArguments
{
    /// <summary>Checks a dimension is non-negative.</summary>
    public static void Dimension(string function, string name, int value)
    {
        if (value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{function}: {name} must be >= 0, got {value}.");
    }

    /// <summary>
    /// Checks a row-major matrix stored as <paramref name="rows"/> × <paramref name="cols"/> with leading dimension
    /// <paramref name="ld"/> fits in a span of <paramref name="length"/> elements.
    /// </summary>
    public static void Matrix(string function, string name, string ldName, int rows, int cols, int ld, int length, in ShapeNote shapeNote)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldName, ld,
                $"{function}: {ldName} = {ld} is less than the {cols} stored columns of {name} ({shapeNote}); it must be >= max(1, {cols}).");
        long need = RequiredLength(rows, cols, ld);
        if (length < need)
            throw new ArgumentException(
                $"{function}: {name} has length {length} but a {rows}×{cols} row-major matrix with {ldName} = {ld} ({shapeNote}) needs at least {need}.",
                name);
    }

    /// <summary>The fewest elements a row-major matrix needs: (rows − 1)·ld + cols, or 0 when it is empty.</summary>
    public static long RequiredLength(int rows, int cols, int ld) =>
        rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;

    /// <summary>Checks a vector has exactly the expected length.</summary>
    public static void Vector(string function, string name, int length, int expected, in ShapeNote shapeNote)
    {
        if (length != expected)
            throw new ArgumentException(
                $"{function}: {name} has length {length} but must have length {expected} ({shapeNote}).", name);
    }

    /// <summary>Checks an output does not overlap an input (the kernels read inputs after writing outputs).</summary>
    public static void NoOverlap<T>(string function, string outName, ReadOnlySpan<T> output, string inName, ReadOnlySpan<T> input)
    {
        if (!output.IsEmpty && !input.IsEmpty && output.Overlaps(input))
            throw new ArgumentException($"{function}: output {outName} overlaps input {inName}; they must be distinct memory.", outName);
    }

    /// <summary>Checks a batch stride is large enough that consecutive batch items of one operand do not overlap.</summary>
    public static void Stride(string function, string name, long stride, long itemLength, bool mayBeZero)
    {
        if (stride < 0 || (stride == 0 && !mayBeZero && itemLength > 0) || (stride > 0 && stride < itemLength))
            throw new ArgumentOutOfRangeException(name, stride,
                $"{function}: {name} = {stride} must be >= {itemLength}, the length of one batch item" +
                (mayBeZero ? " (or 0 to reuse one input for every item)." : "."));
    }
}

/// <summary>
/// The call's shape, for error messages only: a struct, so that validating a valid call allocates nothing
/// (the text is built only when a check fails).
/// </summary>
internal readonly record struct ShapeNote(int M, int N, int K, bool TransA, bool TransB, bool Gemv)
{
    /// <inheritdoc />
    public override string ToString() => Gemv
        ? $"A is {M}×{N}, transA={TransA}"
        : $"m={M}, n={N}, k={K}, transA={TransA}, transB={TransB}";
}
