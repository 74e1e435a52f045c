using System.Runtime.Intrinsics;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// The fused Dirichlet log-density over rows of K entries:
/// log Γ(α₀) − Σ log Γ(αᵢ) + Σ (αᵢ − 1) log xᵢ with α₀ = Σ αᵢ, and in the same pass its partials
/// ∂/∂αᵢ = ψ(α₀) − ψ(αᵢ) + log xᵢ and ∂/∂xᵢ = (αᵢ − 1)/xᵢ; parallel over rows for large inputs.
/// </summary>
internal static class DirichletLogDensity
{
    private const int ParallelThreshold = 1 << 15;
    private const int RowsPerChunk = 1024;

    public static Tensor Apply(Tensor x, Tensor alpha)
    {
        int[] shape = Shapes.Equal(x.Shape, alpha.Shape) ? x.ShapeArray : Shapes.Broadcast(x.Shape, alpha.Shape, "Dirichlet.LogProb");
        var xs = Full(x, shape); var a = Full(alpha, shape);
        int k = shape[^1];
        var logp = Tensor.Uninitialized(shape[..^1]);
        bool grads = Autograd.ShouldRecord(x, alpha);
        Tensor? dx = grads && x.RequiresGrad ? Tensor.Uninitialized(shape) : null;
        Tensor? da = grads && alpha.RequiresGrad ? Tensor.Uninitialized(shape) : null;
        int rows = logp.Count;
        double[] xb = xs.Buffer, ab = a.Buffer, lb = logp.Buffer;
        double[]? dxb = dx?.Buffer, dab = da?.Buffer;
        if ((long)rows * k < ParallelThreshold || Environment.ProcessorCount == 1) Rows(xb, ab, lb, dxb, dab, k, 0, rows);
        else
        {
            int chunks = (rows + RowsPerChunk - 1) / RowsPerChunk;
            Parallel.For(0, chunks, c => Rows(xb, ab, lb, dxb, dab, k, c * RowsPerChunk, Math.Min(RowsPerChunk, rows - c * RowsPerChunk)));
        }
        return grads ? Autograd.Record(logp, new DirichletBackward(x, alpha, dx, da, k)) : logp;
    }

    private static Tensor Full(Tensor t, int[] shape)
    {
        if (Shapes.Equal(t.Shape, shape)) return t;
        var r = Tensor.Uninitialized(shape);
        Broadcasting.Expand(t.Span, t.Shape, r.Span, shape);
        return r;
    }

    private static void Rows(double[] x, double[] alpha, double[] logp, double[]? dx, double[]? da, int k, int first, int count)
    {
        bool grads = da is not null;
        int start = first * k, len = count * k;
        // Elementwise part, vectorized over the flat chunk: term = (α − 1) log x − log Γ(α), da = log x − ψ(α), dx = (α − 1)/x.
        double[] term = System.Buffers.ArrayPool<double>.Shared.Rent(len);
        double[]? scratch = grads ? null : System.Buffers.ArrayPool<double>.Shared.Rent(len);
        var dgSpan = grads ? da.AsSpan(start, len) : scratch.AsSpan(0, len);
        Elementwise(x.AsSpan(start, len), alpha.AsSpan(start, len), term.AsSpan(0, len), dgSpan, dx is null ? default : dx.AsSpan(start, len), dx is not null);
        for (int r = 0; r < count; r++)
        {
            int o = (first + r) * k;
            double sum = 0, acc = 0;
            for (int j = 0; j < k; j++) { sum += alpha[o + j]; acc += term[r * k + j]; }
            GammaFunctions.LogGammaDigamma(sum, out double lgSum, out double dgSum);
            logp[first + r] = acc + lgSum;
            if (grads) for (int j = 0; j < k; j++) da![o + j] += dgSum;
        }
        System.Buffers.ArrayPool<double>.Shared.Return(term);
        if (scratch is not null) System.Buffers.ArrayPool<double>.Shared.Return(scratch);
    }

    private static void Elementwise(ReadOnlySpan<double> x, ReadOnlySpan<double> alpha, Span<double> term, Span<double> da, Span<double> dx, bool grads)
    {
        int n = x.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256<double>.One;
            var zero = Vector256<double>.Zero;
            for (; i <= n - 4; i += 4)
            {
                var a = Vector256.Create(alpha.Slice(i));
                if (!GammaFunctionsVector.InDomain(a)) { ScalarElements(x, alpha, term, da, dx, grads, i, i + 4); continue; }
                var xi = Vector256.Create(x.Slice(i));
                GammaFunctionsVector.LogGammaDigamma(a, out var lg, out var dg);
                var logX = Vector256.Log(xi);
                var am1 = a - one;
                var t = Vector256.ConditionalSelect(Vector256.Equals(am1, zero), zero, am1 * logX);
                (t - lg).CopyTo(term.Slice(i));
                (logX - dg).CopyTo(da.Slice(i));
                if (grads) (am1 / xi).CopyTo(dx.Slice(i));
            }
        }
        ScalarElements(x, alpha, term, da, dx, grads, i, n);
    }

    private static void ScalarElements(ReadOnlySpan<double> x, ReadOnlySpan<double> alpha, Span<double> term, Span<double> da, Span<double> dx, bool grads, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            double a = alpha[i], xi = x[i];
            GammaFunctions.LogGammaDigamma(a, out double lg, out double dg);
            double logX = Math.Log(xi), am1 = a - 1;
            term[i] = (am1 == 0 ? 0 : am1 * logX) - lg;
            da[i] = logX - dg;
            if (grads) dx[i] = am1 / xi;
        }
    }

    private sealed class DirichletBackward(Tensor x, Tensor alpha, Tensor? dx, Tensor? da, int k) : GradNode(x, alpha)
    {
        public override string Name => "DirichletLogDensity";

        public override void Backward(Tensor output, Tensor g)
        {
            Scale(Inputs[0], dx, g);
            Scale(Inputs[1], da, g);
        }

        private void Scale(Tensor input, Tensor? partial, Tensor g)
        {
            if (partial is null || !input.RequiresGrad) return;
            var r = Tensor.Uninitialized(partial.ShapeArray);
            var p = partial.Span; var gs = g.Span; var rs = r.Span;
            for (int row = 0; row < gs.Length; row++)
            {
                double gr = gs[row];
                int o = row * k;
                for (int j = 0; j < k; j++) rs[o + j] = p[o + j] * gr;
            }
            Autograd.AccumulateOwned(input, r);
        }
    }
}
