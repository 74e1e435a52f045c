using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Reductions over one axis of a row-major array viewed as [outer, n, inner]: every output element
/// dst[o, i] reduces src[o, 0..n, i]. Rows (inner = 1) reduce with one vectorized call each; otherwise whole
/// inner rows are combined with vectorized adds/maxes, so memory is read in order.
/// </summary>
public static class ReductionKernels
{
    /// <summary>dst[o, i] = Σ_r src[o, r, i].</summary>
    public static void SumAxis(ReadOnlySpan<double> src, int outer, int n, int inner, Span<double> dst)
    {
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) dst[o] = TP.Sum(src.Slice(o * n, n));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var d = dst.Slice(o * inner, inner);
            if (n == 0) { d.Clear(); continue; }
            src.Slice(o * n * inner, inner).CopyTo(d);
            for (int r = 1; r < n; r++) TP.Add(d, src.Slice((o * n + r) * inner, inner), d);
        }
    }

    /// <summary>dst[o, i] = max_r src[o, r, i] (−∞ for an empty axis; NaN propagates).</summary>
    public static void MaxAxis(ReadOnlySpan<double> src, int outer, int n, int inner, Span<double> dst)
    {
        if (n == 0) { dst.Fill(double.NegativeInfinity); return; }
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) dst[o] = TP.Max(src.Slice(o * n, n));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var d = dst.Slice(o * inner, inner);
            src.Slice(o * n * inner, inner).CopyTo(d);
            for (int r = 1; r < n; r++) TP.Max(d, src.Slice((o * n + r) * inner, inner), d);
        }
    }

    /// <summary>
    /// dst[o, i] = log Σ_r exp(src[o, r, i]), shifted by the maximum so nothing overflows; an all −∞ slice gives −∞
    /// and a +∞ entry gives +∞. <paramref name="scratch"/> needs <c>n</c> elements when inner = 1, else <c>inner</c>·2.
    /// </summary>
    public static void LogSumExpAxis(ReadOnlySpan<double> src, int outer, int n, int inner, Span<double> dst, Span<double> scratch)
    {
        MaxAxis(src, outer, n, inner, dst);
        if (inner == 1)
        {
            var tmp = scratch.Slice(0, n);
            for (int o = 0; o < outer; o++)
            {
                double m = dst[o];
                if (double.IsInfinity(m) || double.IsNaN(m)) continue; // −∞: empty mass; +∞ or NaN: already the answer
                TP.Subtract(src.Slice(o * n, n), m, tmp);
                TP.Exp(tmp, tmp);
                dst[o] = m + Math.Log(TP.Sum(tmp));
            }
            return;
        }
        var acc = scratch.Slice(0, inner);
        var e = scratch.Slice(inner, inner);
        for (int o = 0; o < outer; o++)
        {
            var m = dst.Slice(o * inner, inner);
            acc.Clear();
            for (int r = 0; r < n; r++)
            {
                TP.Subtract(src.Slice((o * n + r) * inner, inner), m, e);
                TP.Exp(e, e);
                TP.Add(acc, e, acc);
            }
            for (int i = 0; i < inner; i++)
                if (!double.IsInfinity(m[i]) && !double.IsNaN(m[i])) m[i] += Math.Log(acc[i]);
        }
    }
}
