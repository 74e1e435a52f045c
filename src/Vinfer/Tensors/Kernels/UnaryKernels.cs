using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TP = System.Numerics.Tensors.TensorPrimitives;
using SF = Vinfer.Tensors.Kernels.SpecialFunctions;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Unary elementwise kernels and their derivative kernels. A derivative kernel computes
/// d[i] = g[i] · f′(x[i]) given the input x, the output y = f(x) and the incoming gradient g.
/// </summary>
public static class UnaryKernels
{
    /// <summary>A derivative kernel: d = g · f′(x), with y = f(x) available.</summary>
    public interface IDerivative
    {
        /// <summary>d[i] = g[i] · f′(x[i]).</summary>
        static abstract void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d);
    }

#pragma warning disable CS1591 // one-line kernels: the op on Tensor carries the documentation
    public struct Negate : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Negate(x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) => TP.Negate(g, d);
    }

    public struct Exp : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Exp(x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) => TP.Multiply(g, y, d);
    }

    public struct Log : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Log(x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) => TP.Divide(g, x, d);
    }

    public struct Log1p : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = SF.Log1p(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] / (1.0 + x[i]); }
    }

    public struct Expm1 : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = SF.Expm1(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * (y[i] + 1.0); }
    }

    public struct Sqrt : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Sqrt(x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = 0.5 * g[i] / y[i]; }
    }

    public struct Square : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Multiply(x, x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = 2.0 * g[i] * x[i]; }
    }

    public struct Reciprocal : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Divide(1.0, x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = -g[i] * y[i] * y[i]; }
    }

    public struct Abs : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Abs(x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0; }
    }

    public struct Tanh : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Tanh(x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * (1 - y[i] * y[i]); }
    }

    public struct Sigmoid : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = SF.Sigmoid(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d)
        {
            // σ′(x) = σ(x) σ(−x) = e^{−|x|} / (1 + e^{−|x|})², exact in both tails (y (1 − y) loses it all for x ≫ 0)
            for (int i = 0; i < d.Length; i++)
            {
                double e = Math.Exp(-Math.Abs(x[i]));
                double q = 1 + e;
                d[i] = g[i] * (e / (q * q));
            }
        }
    }

    public struct Softplus : IUnaryKernel, IDerivative
    {
        /// <summary>
        /// max(x, 0) + log1p(e^{−|x|}), every step a vectorized span op, in chunks on the stack. log1p(e) is computed as
        /// log(u) + (e − (u − 1))/u with u = 1 + e: the second term restores what rounding u lost (it is e itself
        /// where u rounds to 1), which keeps the tails exact without a scalar log1p.
        /// </summary>
        public static void Apply(ReadOnlySpan<double> x, Span<double> d)
        {
            const int Chunk = 512;
            Span<double> e = stackalloc double[Chunk];
            Span<double> u = stackalloc double[Chunk];
            Span<double> c = stackalloc double[Chunk];
            for (int start = 0; start < x.Length; start += Chunk)
            {
                int n = Math.Min(Chunk, x.Length - start);
                var xs = x.Slice(start, n); var es = e[..n]; var us = u[..n]; var cs = c[..n]; var ds = d.Slice(start, n);
                TP.Abs(xs, es);
                TP.Negate(es, es);
                TP.Exp(es, es);
                TP.Add(es, 1.0, us);
                TP.Subtract(us, 1.0, cs);
                TP.Subtract(es, cs, cs);
                TP.Divide(cs, us, cs);
                TP.Log(us, us);
                TP.Add(us, cs, us);
                TP.Max(xs, 0.0, ds);
                TP.Add(ds, us, ds);
            }
        }

        /// <summary>g·σ(x) = g / (1 + e^{−x}), vectorized (e^{−x} = ∞ gives 0, the right limit).</summary>
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d)
        {
            TP.Negate(x, d);
            TP.Exp(d, d);
            TP.Add(d, 1.0, d);
            TP.Divide(g, d, d);
        }
    }

    public struct LogSigmoid : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = SF.LogSigmoid(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * SF.Sigmoid(-x[i]); }
    }

    public struct LogGamma : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = SF.LogGamma(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * SF.Digamma(x[i]); }
    }

    public struct Digamma : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = SF.Digamma(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * SF.Trigamma(x[i]); }
    }

    public struct Erf : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = SF.Erf(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * 1.1283791670955126 * Math.Exp(-x[i] * x[i]); }
    }

    public struct NormalCdf : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = SF.NormalCdf(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * SF.NormalPdf(x[i]); }
    }

    public struct LogNormalCdf : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = SF.LogNormalCdf(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * SF.NormalHazardRatio(x[i]); }
    }

    public struct LogBesselI0 : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = ModifiedBessel.LogI0(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * ModifiedBessel.I1OverI0(x[i]); }
    }

    public struct BesselI1OverI0 : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = ModifiedBessel.I1OverI0(x[i]); }
        // A′(x) = 1 − A(x)/x − A(x)², with the limit ½ at x = 0.
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d)
        {
            for (int i = 0; i < d.Length; i++) d[i] = g[i] * (x[i] == 0 ? 0.5 : 1 - y[i] / x[i] - y[i] * y[i]);
        }
    }

    public struct Sin : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Sin(x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = g[i] * Math.Cos(x[i]); }
    }

    public struct Cos : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Cos(x, d);
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = -g[i] * Math.Sin(x[i]); }
    }

    public struct Relu : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) => TP.Max(x, 0.0, d);
        // g where x > 0, else 0, as a vector select: a branch per element mispredicts on half of random-signed inputs
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d)
        {
            int i = 0, n = d.Length;
            if (x.Length < n || g.Length < n) throw new ArgumentException("UnaryKernels.Relu: input, gradient and destination lengths differ.");
            ref double xs = ref MemoryMarshal.GetReference(x);
            ref double gs = ref MemoryMarshal.GetReference(g);
            ref double ds = ref MemoryMarshal.GetReference(d);
            if (VectorPaths.Vector512Enabled)
                for (; i + 8 <= n; i += 8)
                    Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512<double>.Zero),
                        Vector512.LoadUnsafe(ref gs, (nuint)i), Vector512<double>.Zero).StoreUnsafe(ref ds, (nuint)i);
            else if (VectorPaths.Vector256Enabled)
                for (; i + 4 <= n; i += 4)
                    Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256<double>.Zero),
                        Vector256.LoadUnsafe(ref gs, (nuint)i), Vector256<double>.Zero).StoreUnsafe(ref ds, (nuint)i);
            for (; i < n; i++) Unsafe.Add(ref ds, i) = Unsafe.Add(ref xs, i) > 0 ? Unsafe.Add(ref gs, i) : 0;
        }
    }

    public struct Silu : IUnaryKernel, IDerivative
    {
        public static void Apply(ReadOnlySpan<double> x, Span<double> d) { for (int i = 0; i < d.Length; i++) d[i] = x[i] * SF.Sigmoid(x[i]); }
        public static void Apply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> d)
        {
            // d/dx x σ(x) = σ(x) (1 + x σ(−x))
            for (int i = 0; i < d.Length; i++) d[i] = g[i] * SF.Sigmoid(x[i]) * (1 + x[i] * SF.Sigmoid(-x[i]));
        }
    }
#pragma warning restore CS1591
}