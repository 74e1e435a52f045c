using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Vinfer.Optim;

/// <summary>Span helpers shared by the optimizers (vectorized through TensorPrimitives, allocation-free).</summary>
internal static class OptimizerMath
{
    /// <summary>
    /// The gradient with L2 weight decay, <c>g + decay·p</c>: returns <paramref name="grad"/> itself when the
    /// decay is zero, otherwise writes into <paramref name="scratch"/> and returns it.
    /// </summary>
    public static ReadOnlySpan<double> WithWeightDecay(ReadOnlySpan<double> grad, ReadOnlySpan<double> value, double decay, Span<double> scratch)
    {
        if (decay == 0) return grad;
        TensorPrimitives.MultiplyAdd(value, decay, grad, scratch);
        return scratch;
    }

    /// <summary>Exponential moving average in place: <c>avg = β·avg + (1−β)·x</c>.</summary>
    public static void Ema(Span<double> avg, ReadOnlySpan<double> x, double beta)
    {
        // avg = β·avg + (1−β)·x  ==  (avg − x)·β + x
        TensorPrimitives.Subtract(avg, x, avg);
        TensorPrimitives.MultiplyAdd(avg, beta, x, avg);
    }

    /// <summary>Exponential moving average of squares in place: <c>avg = β·avg + (1−β)·x²</c>.</summary>
    public static void EmaSquare(Span<double> avg, ReadOnlySpan<double> x, double beta)
    {
        double w = 1 - beta;
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var vb = new Vector<double>(beta);
            var vw = new Vector<double>(w);
            var xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            var avs = MemoryMarshal.Cast<double, Vector<double>>(avg);
            for (int k = 0; k < xs.Length; k++) avs[k] = avs[k] * vb + vw * xs[k] * xs[k];
            i = xs.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) avg[i] = avg[i] * beta + w * x[i] * x[i];
    }

    /// <summary>Accumulates squares in place: <c>sum += x²</c>.</summary>
    public static void AddSquares(Span<double> sum, ReadOnlySpan<double> x)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var xs = MemoryMarshal.Cast<double, Vector<double>>(x);
            var ss = MemoryMarshal.Cast<double, Vector<double>>(sum);
            for (int k = 0; k < xs.Length; k++) ss[k] += xs[k] * xs[k];
            i = xs.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) sum[i] += x[i] * x[i];
    }
}

/// <summary>A reusable scratch buffer that grows to the largest parameter seen (steady state allocates nothing).</summary>
internal sealed class ScratchBuffer
{
    private double[] _buffer = [];

    public Span<double> Get(int length)
    {
        if (_buffer.Length < length) _buffer = new double[Math.Max(length, 2 * _buffer.Length)];
        return _buffer.AsSpan(0, length);
    }
}
