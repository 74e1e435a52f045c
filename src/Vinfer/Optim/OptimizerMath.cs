using System.Numerics.Tensors;

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
        TensorPrimitives.Multiply(avg, beta, avg);
        double w = 1 - beta;
        for (int i = 0; i < x.Length; i++) avg[i] += w * x[i] * x[i];
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
