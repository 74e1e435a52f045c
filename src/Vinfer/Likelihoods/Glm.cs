using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Likelihoods;

/// <summary>
/// Fused generalized-linear-model log-likelihoods: the value and its gradient with respect to the coefficients in one
/// pass over the design matrix, in the manner of Stan Math's <c>*_glm_lpmf</c> functions (Carpenter et al.,
/// "The Stan Math Library", arXiv:1509.07164, 2015). Where a model's likelihood has this form, the fused op reads X
/// once per gradient instead of twice (forward X·β, backward Xᵀ·r) and records one graph node instead of a dozen.
/// </summary>
public static class Glm
{
    private static volatile int s_maxThreads = Environment.ProcessorCount;

    /// <summary>
    /// The most threads a fused GLM op uses (default: all processors). Results do not depend on it: rows are split
    /// into fixed chunks whose partial sums are added in chunk order, so they are bit-identical for any value.
    /// </summary>
    public static int MaxThreads
    {
        get => s_maxThreads;
        set => s_maxThreads = value >= 1 ? Math.Min(value, Environment.ProcessorCount)
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Glm.MaxThreads must be >= 1, got {value}.");
    }

    /// <summary>
    /// The Bernoulli log-likelihood under the logit link, Σᵢ yᵢ ηᵢ − log(1 + e^ηᵢ) with η = α + X·β, for one
    /// coefficient vector or S of them at once.
    /// </summary>
    /// <param name="x">Design matrix, shape [N, D].</param>
    /// <param name="y">Outcomes, shape [N], each exactly 0 or 1 (data: it may not require a gradient).</param>
    /// <param name="alpha">Intercept: a scalar (shape [] or [1]), shared by every sample, or shape [S], one per sample.</param>
    /// <param name="beta">Coefficients: shape [D] (one sample) or [D, S] (column s is sample s).</param>
    /// <returns>A scalar when <paramref name="beta"/> has shape [D], otherwise shape [S]: the log-likelihood of each sample.</returns>
    /// <exception cref="ArgumentException">Shapes do not agree, or an outcome is not 0 or 1, or y requires a gradient.</exception>
    public static Tensor BernoulliLogit(Tensor x, Tensor y, Tensor alpha, Tensor beta)
    {
        const string op = "Glm.BernoulliLogit";
        var ys = Validate(op, x, y, alpha, beta).Span;
        for (int i = 0; i < ys.Length; i++)
            if (ys[i] != 0.0 && ys[i] != 1.0)
                throw new ArgumentException($"{op}: y[{i}] = {ys[i]} is not 0 or 1.", nameof(y));
        return Evaluate<BernoulliLogitLink>(x, y, alpha, beta, constant: 0.0);
    }

    /// <summary>
    /// The Poisson log-likelihood under the log link, Σᵢ yᵢ ηᵢ − e^ηᵢ − log yᵢ! with η = α + X·β, for one coefficient
    /// vector or S of them at once (Stan's poisson_log_glm).
    /// </summary>
    /// <param name="x">Design matrix, shape [N, D].</param>
    /// <param name="y">Counts, shape [N], each a non-negative integer (data: it may not require a gradient).</param>
    /// <param name="alpha">Intercept: a scalar (shape [] or [1]), shared by every sample, or shape [S], one per sample.</param>
    /// <param name="beta">Coefficients: shape [D] (one sample) or [D, S] (column s is sample s).</param>
    /// <returns>A scalar when <paramref name="beta"/> has shape [D], otherwise shape [S]: the log-likelihood of each sample.</returns>
    /// <exception cref="ArgumentException">Shapes do not agree, or a count is not a non-negative integer, or y requires a gradient.</exception>
    public static Tensor PoissonLog(Tensor x, Tensor y, Tensor alpha, Tensor beta)
    {
        const string op = "Glm.PoissonLog";
        var ys = Validate(op, x, y, alpha, beta).Span;
        double logFactorials = 0;
        for (int i = 0; i < ys.Length; i++)
        {
            double v = ys[i];
            if (!(v >= 0) || v != Math.Floor(v) || double.IsInfinity(v))
                throw new ArgumentException($"{op}: y[{i}] = {v} is not a non-negative integer count.", nameof(y));
            if (v > 1) logFactorials += SpecialFunctions.LogGamma(v + 1);
        }
        return Evaluate<PoissonLogLink>(x, y, alpha, beta, constant: -logFactorials);
    }

    /// <summary>Checks the shapes shared by every GLM op; returns y.</summary>
    private static Tensor Validate(string op, Tensor x, Tensor y, Tensor alpha, Tensor beta)
    {
        if (x.Rank != 2)
            throw new ArgumentException($"{op}: x must have shape [N, D], got {Shapes.Format(x.Shape)}.", nameof(x));
        int n = x.ShapeArray[0], d = x.ShapeArray[1];
        if (y.Rank != 1 || y.ShapeArray[0] != n)
            throw new ArgumentException($"{op}: y must have shape [{n}] to match x {Shapes.Format(x.Shape)}, got {Shapes.Format(y.Shape)}.", nameof(y));
        if (y.RequiresGrad)
            throw new ArgumentException($"{op}: y holds observed outcomes (data) and cannot require a gradient.", nameof(y));
        bool single = beta.Rank == 1;
        if (!(single && beta.ShapeArray[0] == d) && !(beta.Rank == 2 && beta.ShapeArray[0] == d))
            throw new ArgumentException($"{op}: beta must have shape [{d}] or [{d}, S] to match x {Shapes.Format(x.Shape)}, got {Shapes.Format(beta.Shape)}.", nameof(beta));
        int s = single ? 1 : beta.ShapeArray[1];
        if (alpha.Rank > 1 || (alpha.Count != 1 && alpha.Count != s))
            throw new ArgumentException($"{op}: alpha must be a scalar or have shape [{s}] (one intercept per sample), got {Shapes.Format(alpha.Shape)}.", nameof(alpha));
        return y;
    }

    /// <summary>The fused forward pass (value and coefficient gradients) and the graph node, for any link.</summary>
    private static Tensor Evaluate<TLink>(Tensor x, Tensor y, Tensor alpha, Tensor beta, double constant) where TLink : struct, IGlmLink
    {
        int n = x.ShapeArray[0], d = x.ShapeArray[1];
        bool single = beta.Rank == 1;
        int s = single ? 1 : beta.ShapeArray[1];
        var result = Tensor.Uninitialized(single ? [] : [s]);
        bool record = Autograd.ShouldRecord(x, alpha, beta);
        bool coefficientGradient = record && (alpha.RequiresGrad || beta.RequiresGrad);

        Tensor? alphaFull = null;
        ReadOnlySpan<double> alphaSpan = alpha.Span;
        if (alpha.Count != s)
        {
            alphaFull = Tensor.Uninitialized([s]);
            alphaFull.Span.Fill(alpha.Span[0]);
            alphaSpan = alphaFull.Span;
        }

        Tensor? gradBeta = coefficientGradient ? Tensor.Uninitialized([d, s]) : null;
        Tensor? gradAlpha = coefficientGradient ? Tensor.Uninitialized([s]) : null;
        GlmKernel<TLink>.Evaluate(n, d, s, x.Span, y.Span, alphaSpan, beta.Span, result.Span,
            gradBeta is null ? default : gradBeta.Span, gradAlpha is null ? default : gradAlpha.Span,
            coefficientGradient, MaxThreads);
        if (constant != 0) System.Numerics.Tensors.TensorPrimitives.Add(result.Span, constant, result.Span);

        if (!record) return result;
        return Autograd.Record(result, new GlmBackward<TLink>(x, y, alpha, beta, gradBeta, gradAlpha, alphaSpan.ToArray()));
    }

    /// <summary>
    /// Scales the gradients computed in the forward pass by the output gradient. The gradient with respect to X
    /// (rarely wanted) is Σ_s g_s r_{·s} β_{·s}ᵀ; the residuals are recomputed from η = α + X·β with GEMM.
    /// </summary>
    private sealed class GlmBackward<TLink>(Tensor x, Tensor y, Tensor alpha, Tensor beta,
        Tensor? gradBeta, Tensor? gradAlpha, double[] alphaFull) : GradNode(x, alpha, beta) where TLink : struct, IGlmLink
    {
        public override string Name => typeof(TLink).Name.Replace("Link", "Glm", StringComparison.Ordinal);

        public override void Backward(Tensor output, Tensor g)
        {
            var gs = g.Span;
            int s = gs.Length, n = x.ShapeArray[0], d = x.ShapeArray[1];
            bool unit = true;
            foreach (double v in gs) unit &= v == 1.0;

            if (gradBeta is not null && beta.RequiresGrad)
            {
                if (unit) Autograd.Accumulate(beta, beta.Rank == 1 ? gradBeta.ViewAs(beta.ShapeArray) : gradBeta);
                else
                {
                    var scaled = Tensor.Uninitialized(beta.ShapeArray);
                    var src = gradBeta.Span; var dst = scaled.Span;
                    for (int k = 0; k < d; k++)
                        for (int j = 0; j < s; j++) dst[k * s + j] = src[k * s + j] * gs[j];
                    Autograd.AccumulateOwned(beta, scaled);
                }
            }
            if (gradAlpha is not null && alpha.RequiresGrad)
            {
                var scaled = Tensor.Uninitialized([s]);
                System.Numerics.Tensors.TensorPrimitives.Multiply(gradAlpha.Span, gs, scaled.Span);
                // A shared intercept gets the sum over samples (Accumulate sums [S] down to alpha's shape).
                Autograd.AccumulateOwned(alpha, alpha.Count == s && alpha.Rank == 1 ? scaled : scaled.Sum().ViewAs(alpha.ShapeArray));
            }
            if (x.RequiresGrad)
            {
                // η = X·B + α, then W = r(η)·diag(g), then ∂X = W·Bᵀ.
                var eta = Tensor.Uninitialized([n, s]);
                var w = eta.Span;
                for (int i = 0; i < n; i++) alphaFull.CopyTo(w.Slice(i * s, s));
                Blas.Gemm(false, false, n, s, d, 1.0, x.Span, d, beta.Span, s, 1.0, w, s);
                var ys = y.Span;
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < s; j++)
                    {
                        TLink.Terms(new DoubleLane(w[i * s + j]), new DoubleLane(ys[i]), out _, out var r);
                        w[i * s + j] = r.Value * gs[j];
                    }
                var gx = Tensor.Uninitialized(x.ShapeArray);
                Blas.Gemm(false, true, n, d, s, 1.0, w, s, beta.Span, s, 0.0, gx.Span, d);
                Autograd.AccumulateOwned(x, gx);
            }
        }
    }
}
