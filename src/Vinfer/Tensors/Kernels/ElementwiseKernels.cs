using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors.Kernels;

/// <summary>The binary elementwise kernels behind the tensor operators (vectorized by TensorPrimitives).</summary>
public static class BinaryKernels
{
    /// <summary>x + y.</summary>
    public struct Add : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TP.Add(x, y, d);
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TP.Add(x, y, d);
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TP.Add(y, x, d);
    }

    /// <summary>x − y.</summary>
    public struct Subtract : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TP.Subtract(x, y, d);
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TP.Subtract(x, y, d);
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TP.Subtract(x, y, d);
    }

    /// <summary>x · y.</summary>
    public struct Multiply : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TP.Multiply(x, y, d);
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TP.Multiply(x, y, d);
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TP.Multiply(y, x, d);
    }

    /// <summary>x / y.</summary>
    public struct Divide : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TP.Divide(x, y, d);
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TP.Divide(x, y, d);
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TP.Divide(x, y, d);
    }

    /// <summary>xʸ.</summary>
    public struct Pow : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = Math.Pow(x[i], y[i]); }
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d)
        {
            if (y == 2) TP.Multiply(x, x, d);
            else if (y == 0.5) TP.Sqrt(x, d);
            else for (int i = 0; i < d.Length; i++) d[i] = Math.Pow(x[i], y);
        }
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = Math.Pow(x, y[i]); }
    }

    /// <summary>max(x, y), NaN-propagating.</summary>
    public struct Maximum : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TP.Max(x, y, d);
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TP.Max(x, y, d);
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TP.Max(y, x, d);
    }

    /// <summary>min(x, y), NaN-propagating.</summary>
    public struct Minimum : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) => TP.Min(x, y, d);
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) => TP.Min(x, y, d);
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) => TP.Min(y, x, d);
    }

    /// <summary>1 where x &gt; y, else 0.</summary>
    public struct Greater : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x[i] > y[i] ? 1 : 0; }
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x[i] > y ? 1 : 0; }
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x > y[i] ? 1 : 0; }
    }

    /// <summary>1 where x ≥ y, else 0.</summary>
    public struct GreaterOrEqual : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x[i] >= y[i] ? 1 : 0; }
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x[i] >= y ? 1 : 0; }
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x >= y[i] ? 1 : 0; }
    }

    /// <summary>1 where x = y, else 0.</summary>
    public struct EqualTo : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x[i] == y[i] ? 1 : 0; }
        public static void Apply(ReadOnlySpan<double> x, double y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x[i] == y ? 1 : 0; }
        public static void Apply(double x, ReadOnlySpan<double> y, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x == y[i] ? 1 : 0; }
    }
}
