namespace Vinfer.Tensors.Kernels;

/// <summary>A unary elementwise kernel over spans (vectorized inside where it can be). Implemented by structs so calls inline.</summary>
public interface IUnaryKernel
{
    /// <summary>destination[i] = f(x[i]); destination may alias x.</summary>
    static abstract void Apply(ReadOnlySpan<double> x, Span<double> destination);
}

/// <summary>A binary elementwise kernel with its scalar-operand forms (used for broadcasting rows against a scalar).</summary>
public interface IBinaryKernel
{
    /// <summary>destination[i] = f(x[i], y[i]).</summary>
    static abstract void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> destination);

    /// <summary>destination[i] = f(x[i], y).</summary>
    static abstract void Apply(ReadOnlySpan<double> x, double y, Span<double> destination);

    /// <summary>destination[i] = f(x, y[i]).</summary>
    static abstract void Apply(double x, ReadOnlySpan<double> y, Span<double> destination);
}
