using Vinfer.Autodiff;
using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// Differentiable dense linear algebra on batches of small matrices (last two dimensions), written as loops for
/// the MVN family: the Cholesky factor (backward by Murray, "Differentiation of the Cholesky decomposition", 2016:
/// Ā = ½ sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹), Φ = lower triangle with halved diagonal), the lower-triangular solve
/// X = L⁻¹B (B̄ = L⁻ᵀX̄, L̄ = −tril(B̄Xᵀ); Giles, "Collected matrix derivative results", 2008) and the inverse of a
/// symmetric positive-definite matrix (Ā = −A⁻¹ Ḡ A⁻¹).
/// </summary>
internal static class CholeskyOp
{
    /// <summary>The lower Cholesky factor of each symmetric positive-definite matrix; throws naming <paramref name="what"/>.</summary>
    public static Tensor Factor(Tensor a, string what)
    {
        int n = a.Dim(-1);
        if (a.Rank < 2 || a.Dim(-2) != n) throw new ArgumentException($"{what}: expected square matrices, got shape {Shapes.Format(a.Shape)}.");
        var l = Tensor.Uninitialized(a.ShapeArray);
        var src = a.Span; var dst = l.Span;
        for (int b = 0; b < l.Count / (n * n); b++)
            if (!DenseCholesky.TryFactor(src.Slice(b * n * n, n * n), n, dst.Slice(b * n * n, n * n)))
                throw new ArgumentException($"{what}: matrix {b} is not positive definite (Cholesky factorization failed).");
        return Autograd.ShouldRecord(a) ? Autograd.Record(l, new FactorBackward(a, n)) : l;
    }

    private sealed class FactorBackward(Tensor a, int n) : GradNode(a)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var d = Tensor.Uninitialized(g.ShapeArray);
            var L = output.Span; var G = g.Span; var D = d.Span;
            var phi = new double[n * n]; var s = new double[n * n];
            for (int b = 0; b < D.Length / (n * n); b++)
            {
                var l = L.Slice(b * n * n, n * n); var gl = G.Slice(b * n * n, n * n);
                // phi = tril(Lᵀ tril(gL)) with halved diagonal.
                for (int i = 0; i < n; i++)
                    for (int j = 0; j <= i; j++)
                    {
                        double acc = 0;
                        for (int k = i; k < n; k++) acc += l[k * n + i] * gl[k * n + j] * (k >= j ? 1 : 0);
                        phi[i * n + j] = i == j ? 0.5 * acc : acc;
                    }
                for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) phi[i * n + j] = 0;
                // s = L⁻ᵀ phi L⁻¹: solve Lᵀ Y = phi, then s Lᵀ... s = (L⁻ᵀ (L⁻ᵀ phiᵀ)ᵀ)ᵀ computed by two triangular solves.
                SolveUpperTransposed(l, phi, s, n);          // s = L⁻ᵀ phi
                Transpose(s, n);
                SolveUpperTransposed(l, s, phi, n);          // phi = L⁻ᵀ (L⁻ᵀ phi)ᵀ = (phi-side)ᵀ
                Transpose(phi, n);                            // phi = L⁻ᵀ phi₀ L⁻¹
                var da = D.Slice(b * n * n, n * n);
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++) da[i * n + j] = 0.5 * (phi[i * n + j] + phi[j * n + i]);
            }
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>X = L⁻ᵀ B for a lower-triangular L (back substitution with Lᵀ), column by column.</summary>
    internal static void SolveUpperTransposed(ReadOnlySpan<double> l, ReadOnlySpan<double> b, Span<double> x, int n)
    {
        for (int c = 0; c < n; c++)
            for (int i = n - 1; i >= 0; i--)
            {
                double acc = b[i * n + c];
                for (int k = i + 1; k < n; k++) acc -= l[k * n + i] * x[k * n + c];
                x[i * n + c] = acc / l[i * n + i];
            }
    }

    /// <summary>X = L⁻¹ B for a lower-triangular L (forward substitution), B with <paramref name="cols"/> columns.</summary>
    internal static void SolveLower(ReadOnlySpan<double> l, ReadOnlySpan<double> b, Span<double> x, int n, int cols)
    {
        for (int c = 0; c < cols; c++)
            for (int i = 0; i < n; i++)
            {
                double acc = b[i * cols + c];
                for (int k = 0; k < i; k++) acc -= l[i * n + k] * x[k * cols + c];
                x[i * cols + c] = acc / l[i * n + i];
            }
    }

    private static void Transpose(Span<double> m, int n)
    {
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) (m[i * n + j], m[j * n + i]) = (m[j * n + i], m[i * n + j]);
    }

    /// <summary>X = L⁻¹B for lower-triangular L [..., n, n] and B [..., n, k] with the same batch shape; differentiable in both.</summary>
    public static Tensor SolveLowerTriangular(Tensor l, Tensor b)
    {
        int n = l.Dim(-1), k = b.Dim(-1);
        var x = Tensor.Uninitialized(b.ShapeArray);
        var L = l.Span; var B = b.Span; var X = x.Span;
        int batches = x.Count / (n * k);
        for (int i = 0; i < batches; i++) SolveLower(L.Slice(i * n * n, n * n), B.Slice(i * n * k, n * k), X.Slice(i * n * k, n * k), n, k);
        return Autograd.ShouldRecord(l, b) ? Autograd.Record(x, new SolveBackward(l, b, n, k)) : x;
    }

    private sealed class SolveBackward(Tensor l, Tensor b, int n, int k) : GradNode(l, b)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var gb = Tensor.Uninitialized(Inputs[1].ShapeArray);
            var L = Inputs[0].Span; var G = g.Span; var GB = gb.Span; var X = output.Span;
            int batches = GB.Length / (n * k);
            var col = new double[n]; var sol = new double[n];
            for (int bi = 0; bi < batches; bi++)
            {
                var lb = L.Slice(bi * n * n, n * n);
                for (int c = 0; c < k; c++)
                {
                    // B̄[:, c] = L⁻ᵀ X̄[:, c].
                    for (int i = n - 1; i >= 0; i--)
                    {
                        double acc = G[bi * n * k + i * k + c];
                        for (int m = i + 1; m < n; m++) acc -= lb[m * n + i] * GB[bi * n * k + m * k + c];
                        GB[bi * n * k + i * k + c] = acc / lb[i * n + i];
                    }
                }
            }
            if (Inputs[0].RequiresGrad)
            {
                var gl = Tensor.Zeros(Inputs[0].ShapeArray);
                var GL = gl.Span;
                for (int bi = 0; bi < batches; bi++)
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j <= i; j++)
                        {
                            double acc = 0;
                            for (int c = 0; c < k; c++) acc += GB[bi * n * k + i * k + c] * X[bi * n * k + j * k + c];
                            GL[bi * n * n + i * n + j] = -acc;
                        }
                Autograd.AccumulateOwned(Inputs[0], gl);
            }
            Autograd.AccumulateOwned(Inputs[1], gb);
        }
    }

    /// <summary>The inverse of each symmetric positive-definite matrix (through its Cholesky factor); differentiable.</summary>
    public static Tensor SymmetricInverse(Tensor a, string what)
    {
        int n = a.Dim(-1);
        Tensor inv;
        using (GradMode.Disable())
        {
            var l = Factor(a.Detach(), what);
            var eye = Tensor.Zeros(n, n);
            for (int i = 0; i < n; i++) eye[i, i] = 1;
            var linv = SolveLowerTriangular(l, eye.Expand(a.ShapeArray));
            inv = linv.MT.MatMul(linv);
        }
        return Autograd.ShouldRecord(a) ? Autograd.Record(inv, new InverseBackward(a)) : inv;
    }

    private sealed class InverseBackward(Tensor a) : GradNode(a)
    {
        public override void Backward(Tensor output, Tensor g) => Autograd.AccumulateOwned(Inputs[0], -(output.MatMul(g).MatMul(output)));
    }
}
