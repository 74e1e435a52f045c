using Vinfer.Tensors.Kernels;
using CholeskyKernels = Vinfer.Tensors.Kernels.Cholesky;
using TP = System.Numerics.Tensors.TensorPrimitives;

namespace Vinfer.Tensors;

// Dense linear algebra on the last two axes, batched over the leading ones: Cholesky factor, triangular solve,
// Cholesky solve and log-determinants. Built on the span kernels in Kernels/Cholesky.cs. Factors, never inverses.
public sealed partial class Tensor
{
    /// <summary>
    /// The lower Cholesky factor L (A = L Lᵀ) of each symmetric positive-definite matrix in the last two axes.
    /// Only the lower triangle of A is read, and the gradient is that of this function: it is zero above the
    /// diagonal (for a symmetric perturbation it agrees with the symmetric gradient PyTorch returns).
    /// Backward: Murray (2016), "Differentiation of the Cholesky decomposition", arXiv:1602.07527, in the blocked-free
    /// form Ā = L⁻ᵀ Φ(Lᵀ L̄) L⁻¹ symmetrized, with Φ taking the lower triangle and halving the diagonal.
    /// </summary>
    public Tensor Cholesky() => CholeskyCore("Cholesky");

    private Tensor CholeskyCore(string op)
    {
        int n = SquareDims(op, "matrix", out int batch);
        var r = Uninitialized(ShapeArray);
        Span.CopyTo(r.Span);
        var rs = r.Span;
        int size = n * n;
        for (int b = 0; b < batch; b++)
            if (!CholeskyKernels.TryFactorLower(rs.Slice(b * size, size), n))
                throw new ArgumentException(batch == 1
                    ? $"{op}: the {n}×{n} matrix is not positive definite (the Cholesky factorization met a non-positive pivot)."
                    : $"{op}: matrix {b} of the batch (shape {Shapes.Format(Shape)}) is not positive definite (the Cholesky factorization met a non-positive pivot).");
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new CholeskyBackward(this, batch, n)) : r;
    }

    private sealed class CholeskyBackward(Tensor a, int batch, int n) : GradNode(a)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            int size = n * n;
            var d = Uninitialized(Inputs[0].ShapeArray);
            var scratch = BufferPool<double>.Current.Rent(Math.Max(size, 1));
            var ls = output.Span; var gs = g.Span; var ds = d.Span;
            for (int b = 0; b < batch; b++)
            {
                var l = ls.Slice(b * size, size);
                var gl = gs.Slice(b * size, size);
                var s = scratch.AsSpan(0, size);
                // P = tril(Lᵀ tril(L̄)): P[i, j] = Σ_{k ≥ i} L[k, i] L̄[k, j] for j ≤ i (only the lower triangle of L̄ matters,
                // the upper triangle of L is the constant 0). S = ½ (P + tril(P, −1)ᵀ) is then symmetric.
                for (int i = 0; i < n; i++)
                    for (int j = 0; j <= i; j++)
                    {
                        double p = 0;
                        for (int k = i; k < n; k++) p += l[k * n + i] * gl[k * n + j];
                        s[i * n + j] = 0.5 * p;
                        s[j * n + i] = 0.5 * p;
                    }
                // Ā = L⁻ᵀ S L⁻¹: X = L⁻ᵀ S, and as Ā is symmetric, Ā = (X L⁻¹)ᵀ = L⁻ᵀ Xᵀ.
                CholeskyKernels.SolveLowerTransposed(l, n, s, n);
                var a = ds.Slice(b * size, size);
                MatrixStructureKernels.Transpose(s, 1, n, n, a);
                CholeskyKernels.SolveLowerTransposed(l, n, a, n);
                // the function reads only the lower triangle of A: fold the symmetric gradient onto it
                for (int i = 1; i < n; i++)
                    for (int j = 0; j < i; j++) { a[i * n + j] += a[j * n + i]; a[j * n + i] = 0; }
            }
            BufferPool<double>.Current.Return(scratch);
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>
    /// Solves op(T) X = B for X, with T triangular (its <paramref name="lower"/> or upper triangle is read, the other
    /// ignored) and op(T) = Tᵀ when <paramref name="transpose"/>. T is […, n, n], B is […, n, m] (or a vector of
    /// length n when T is a single matrix); leading batch axes broadcast. Gradients: B̄ = op(T)⁻ᵀ X̄ and
    /// op(T)̄ = −B̄ Xᵀ, restricted to the triangle that is read (Giles 2008, "Extended collection of matrix derivative
    /// results for forward and reverse mode AD").
    /// </summary>
    public static Tensor TriangularSolve(Tensor triangular, Tensor rhs, bool lower = true, bool transpose = false)
    {
        ArgumentNullException.ThrowIfNull(triangular);
        ArgumentNullException.ThrowIfNull(rhs);
        int n = triangular.SquareDims("TriangularSolve", "triangular", out _);
        if (rhs.Rank == 1)
        {
            if (triangular.Rank != 2)
                throw new ArgumentException($"TriangularSolve: a vector right-hand side (shape {Shapes.Format(rhs.Shape)}) needs a single matrix, got a batch of shape {Shapes.Format(triangular.Shape)}.", nameof(rhs));
            return TriangularSolve(triangular, rhs.Unsqueeze(1), lower, transpose).Squeeze(1);
        }
        if (rhs.Rank < 2 || rhs.ShapeArray[^2] != n)
            throw new ArgumentException($"TriangularSolve: right-hand side of shape {Shapes.Format(rhs.Shape)} does not match the {n}×{n} triangular matrix (shape {Shapes.Format(triangular.Shape)}); it needs {n} rows.", nameof(rhs));
        int m = rhs.ShapeArray[^1];
        var batchT = triangular.ShapeArray.AsSpan(0, triangular.Rank - 2);
        var batchB = rhs.ShapeArray.AsSpan(0, rhs.Rank - 2);
        if (!Shapes.Equal(batchT, batchB))
        {
            var batch = Shapes.Broadcast(batchT, batchB, "TriangularSolve");
            if (!Shapes.Equal(batch, batchT)) triangular = triangular.Expand([.. batch, n, n]);
            if (!Shapes.Equal(batch, batchB)) rhs = rhs.Expand([.. batch, n, m]);
        }
        int count = 1;
        for (int i = 0; i < triangular.Rank - 2; i++) count *= triangular.ShapeArray[i];
        var ts = triangular.Span;
        for (int b = 0; b < count; b++)
            for (int i = 0; i < n; i++)
                if (ts[b * n * n + i * n + i] == 0)
                    throw new ArgumentException(count == 1
                        ? $"TriangularSolve: the triangular matrix is singular (diagonal entry {i} is 0)."
                        : $"TriangularSolve: triangular matrix {b} of the batch is singular (diagonal entry {i} is 0).", nameof(triangular));
        var part = lower ? TriangularPart.Lower : TriangularPart.Upper;
        var r = rhs.Clone();
        var rs = r.Span;
        for (int b = 0; b < count; b++)
            CholeskyKernels.SolveTriangular(ts.Slice(b * n * n, n * n), n, rs.Slice(b * n * m, n * m), m, part, transpose);
        return Autograd.ShouldRecord(triangular, rhs)
            ? Autograd.Record(r, new TriangularSolveBackward(triangular, rhs, count, n, m, lower, transpose))
            : r;
    }

    private sealed class TriangularSolveBackward(Tensor t, Tensor b, int count, int n, int m, bool lower, bool transpose) : GradNode(t, b)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var part = lower ? TriangularPart.Lower : TriangularPart.Upper;
            var gb = g.Clone();
            var ts = Inputs[0].Span; var gbs = gb.Span;
            for (int k = 0; k < count; k++)
                CholeskyKernels.SolveTriangular(ts.Slice(k * n * n, n * n), n, gbs.Slice(k * n * m, n * m), m, part, !transpose);
            if (Inputs[0].RequiresGrad)
            {
                // op(T)̄ = −B̄ Xᵀ; T̄ = op(T)̄ or its transpose; only the triangle that is read gets a gradient
                var dt = Uninitialized(Inputs[0].ShapeArray);
                var xs = output.Span; var ds = dt.Span;
                ds.Clear();
                for (int k = 0; k < count; k++)
                {
                    var x = xs.Slice(k * n * m, n * m); var gk = gbs.Slice(k * n * m, n * m); var d = ds.Slice(k * n * n, n * n);
                    for (int i = 0; i < n; i++)
                        for (int j = lower ? 0 : i; j <= (lower ? i : n - 1); j++)
                            d[i * n + j] = transpose
                                ? -TP.Dot(x.Slice(i * m, m), gk.Slice(j * m, m))
                                : -TP.Dot(gk.Slice(i * m, m), x.Slice(j * m, m));
                }
                Autograd.AccumulateOwned(Inputs[0], dt);
            }
            Autograd.AccumulateOwned(Inputs[1], gb);
        }
    }

    /// <summary>
    /// Solves A X = B given the lower Cholesky factor L of A (A = L Lᵀ): two triangular solves, L Y = B then Lᵀ X = Y.
    /// Shapes as in <see cref="TriangularSolve"/>.
    /// </summary>
    public static Tensor CholeskySolve(Tensor factor, Tensor rhs)
        => TriangularSolve(factor, TriangularSolve(factor, rhs, lower: true), lower: true, transpose: true);

    /// <summary>log det A = 2 Σᵢ log Lᵢᵢ for each lower (or upper) Cholesky factor L in the last two axes; shape […].</summary>
    public Tensor LogDetFromCholesky()
    {
        SquareDims("LogDetFromCholesky", "factor", out _);
        return Diagonal().Log().Sum(-1) * 2.0;
    }

    /// <summary>
    /// log det A of each symmetric positive-definite matrix in the last two axes, through its Cholesky factor (only
    /// the lower triangle is read); throws when a matrix is not positive definite.
    /// </summary>
    public Tensor LogDet() => CholeskyCore("LogDet").LogDetFromCholesky();

    /// <summary>The size n of the n×n matrices in the last two axes and their number; throws naming the op otherwise.</summary>
    private int SquareDims(string op, string name, out int batch)
    {
        MatrixDims(op, out batch, out int rows, out int cols);
        if (rows != cols)
            throw new ArgumentException($"{op}: the {name} must be square in its last two axes, got shape {Shapes.Format(Shape)}.", name);
        return rows;
    }
}
