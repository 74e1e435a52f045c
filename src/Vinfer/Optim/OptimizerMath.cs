using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Vinfer.Tensors.Kernels;

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
        if (VectorPaths.VectorEnabled && x.Length >= Vector<double>.Count)
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

    /// <summary>
    /// One fused Adam pass (one read of each buffer instead of one per operation; the step is memory-bound):
    /// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − stepSize · m / (√v·vScale + ε). With
    /// <paramref name="clip"/> finite, g is first clamped to [−clip, clip].
    /// </summary>
    public static void AdamUpdate(Span<double> value, ReadOnlySpan<double> g, Span<double> m, Span<double> v,
        double beta1, double beta2, double stepSize, double vScale, double epsilon, double clip = double.PositiveInfinity)
    {
        double w1 = 1 - beta1, w2 = 1 - beta2;
        int i = 0;
        if (VectorPaths.VectorEnabled && g.Length >= Vector<double>.Count)
        {
            var gs = MemoryMarshal.Cast<double, Vector<double>>(g);
            var ms = MemoryMarshal.Cast<double, Vector<double>>(m);
            var vs = MemoryMarshal.Cast<double, Vector<double>>(v);
            var ps = MemoryMarshal.Cast<double, Vector<double>>(value);
            Vector<double> b1 = new(beta1), b2 = new(beta2), vw1 = new(w1), vw2 = new(w2), step = new(stepSize),
                scale = new(vScale), eps = new(epsilon), hi = new(clip), lo = new(-clip);
            bool clamp = double.IsFinite(clip);
            for (int k = 0; k < gs.Length; k++)
            {
                var gk = clamp ? Vector.Min(Vector.Max(gs[k], lo), hi) : gs[k];
                var mk = ms[k] * b1 + vw1 * gk;
                var vk = vs[k] * b2 + vw2 * gk * gk;
                ms[k] = mk;
                vs[k] = vk;
                ps[k] -= step * (mk / (Vector.SquareRoot(vk) * scale + eps));
            }
            i = gs.Length * Vector<double>.Count;
        }
        for (; i < g.Length; i++)
        {
            double gi = Math.Clamp(g[i], -clip, clip);
            double mi = m[i] * beta1 + w1 * gi;
            double vi = v[i] * beta2 + w2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            value[i] -= stepSize * (mi / (Math.Sqrt(vi) * vScale + epsilon));
        }
    }

    /// <summary>
    /// One fused pass of Stan's ADVI update: s ← decay·s + w·g² (w = 1, decay = 0 on the first step),
    /// θ ← θ − scale · g / (τ + √s).
    /// </summary>
    public static void AdviUpdate(Span<double> value, ReadOnlySpan<double> g, Span<double> s, double decay, double weight, double scale, double tau)
    {
        int i = 0;
        if (VectorPaths.VectorEnabled && g.Length >= Vector<double>.Count)
        {
            var gs = MemoryMarshal.Cast<double, Vector<double>>(g);
            var ss = MemoryMarshal.Cast<double, Vector<double>>(s);
            var ps = MemoryMarshal.Cast<double, Vector<double>>(value);
            Vector<double> d = new(decay), w = new(weight), sc = new(scale), t = new(tau);
            for (int k = 0; k < gs.Length; k++)
            {
                var sk = ss[k] * d + w * gs[k] * gs[k];
                ss[k] = sk;
                ps[k] -= sc * (gs[k] / (t + Vector.SquareRoot(sk)));
            }
            i = gs.Length * Vector<double>.Count;
        }
        for (; i < g.Length; i++)
        {
            double si = s[i] * decay + weight * g[i] * g[i];
            s[i] = si;
            value[i] -= scale * (g[i] / (tau + Math.Sqrt(si)));
        }
    }

    /// <summary>Momentum buffer in one pass: <c>b ← μb + w·g</c>.</summary>
    public static void MomentumUpdate(Span<double> buf, ReadOnlySpan<double> g, double momentum, double weight)
    {
        int i = 0;
        if (VectorPaths.VectorEnabled && g.Length >= Vector<double>.Count)
        {
            var gs = MemoryMarshal.Cast<double, Vector<double>>(g);
            var bs = MemoryMarshal.Cast<double, Vector<double>>(buf);
            Vector<double> mu = new(momentum), w = new(weight);
            for (int k = 0; k < gs.Length; k++) bs[k] = bs[k] * mu + w * gs[k];
            i = gs.Length * Vector<double>.Count;
        }
        for (; i < g.Length; i++) buf[i] = buf[i] * momentum + weight * g[i];
    }

    /// <summary>Accumulates squares in place: <c>sum += x²</c>.</summary>
    public static void AddSquares(Span<double> sum, ReadOnlySpan<double> x)
    {
        int i = 0;
        if (VectorPaths.VectorEnabled && x.Length >= Vector<double>.Count)
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
