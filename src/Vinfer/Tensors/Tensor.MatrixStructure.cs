using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

// Structure of the last two axes (batched over the leading ones): identity, diagonal, diagonal embedding and
// triangular masks, as covariance parameterizations (L = tril(M, −1) + diag(softplus(d))) need.
public sealed partial class Tensor
{
    /// <summary>The n×n identity matrix.</summary>
    public static Tensor Eye(int n)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), $"Eye: size {n} is negative.");
        var t = Zeros(n, n);
        var s = t.Span;
        for (int i = 0; i < n; i++) s[i * n + i] = 1;
        return t;
    }

    /// <summary>Splits the shape into a batch of rows×cols matrices; throws naming the op when the rank is below 2.</summary>
    private void MatrixDims(string op, out int batch, out int rows, out int cols)
    {
        if (Rank < 2) throw new ArgumentException($"{op}: needs a matrix (rank ≥ 2), got shape {Shapes.Format(Shape)}.");
        rows = ShapeArray[Rank - 2];
        cols = ShapeArray[Rank - 1];
        batch = 1;
        for (int i = 0; i < Rank - 2; i++) batch *= ShapeArray[i];
    }

    /// <summary>The main diagonal of each matrix in the last two axes: shape […, min(rows, cols)].</summary>
    public Tensor Diagonal()
    {
        MatrixDims("Diagonal", out int batch, out int rows, out int cols);
        var shape = new int[Rank - 1];
        for (int i = 0; i < Rank - 2; i++) shape[i] = ShapeArray[i];
        shape[^1] = Math.Min(rows, cols);
        var r = Uninitialized(shape);
        MatrixStructureKernels.Diagonal(Span, batch, rows, cols, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new DiagonalBackward(this, batch, rows, cols)) : r;
    }

    private sealed class DiagonalBackward(Tensor x, int batch, int rows, int cols) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var d = Uninitialized(Inputs[0].ShapeArray);
            var ds = d.Span; var gs = g.Span;
            ds.Clear();
            int m = Math.Min(rows, cols);
            for (int b = 0; b < batch; b++)
                for (int k = 0; k < m; k++) ds[(b * rows + k) * cols + k] = gs[b * m + k];
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>Square matrices with the last axis on their diagonal: shape […, n] becomes […, n, n].</summary>
    public Tensor DiagEmbed()
    {
        if (Rank < 1) throw new ArgumentException($"DiagEmbed: needs a vector (rank ≥ 1), got shape {Shapes.Format(Shape)}.");
        int n = ShapeArray[^1];
        int batch = 1;
        for (int i = 0; i < Rank - 1; i++) batch *= ShapeArray[i];
        var shape = new int[Rank + 1];
        for (int i = 0; i < Rank; i++) shape[i] = ShapeArray[i];
        shape[^1] = n;
        var r = Uninitialized(shape);
        MatrixStructureKernels.DiagEmbed(Span, batch, n, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new DiagEmbedBackward(this, batch, n)) : r;
    }

    private sealed class DiagEmbedBackward(Tensor x, int batch, int n) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var d = Uninitialized(Inputs[0].ShapeArray);
            MatrixStructureKernels.Diagonal(g.Span, batch, n, n, d.Span);
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }

    /// <summary>The lower triangle of each matrix: entries (i, j) with j ≤ i + offset are kept, the rest set to 0.</summary>
    public Tensor Tril(int offset = 0) => TriangularMask("Tril", offset, lower: true);

    /// <summary>The upper triangle of each matrix: entries (i, j) with j ≥ i + offset are kept, the rest set to 0.</summary>
    public Tensor Triu(int offset = 0) => TriangularMask("Triu", offset, lower: false);

    private Tensor TriangularMask(string op, int offset, bool lower)
    {
        MatrixDims(op, out int batch, out int rows, out int cols);
        var r = Uninitialized(ShapeArray);
        MatrixStructureKernels.TriangularMask(Span, batch, rows, cols, offset, lower, r.Span);
        return Autograd.ShouldRecord(this) ? Autograd.Record(r, new TriangularMaskBackward(this, batch, rows, cols, offset, lower)) : r;
    }

    private sealed class TriangularMaskBackward(Tensor x, int batch, int rows, int cols, int offset, bool lower) : GradNode(x)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var d = Uninitialized(Inputs[0].ShapeArray);
            MatrixStructureKernels.TriangularMask(g.Span, batch, rows, cols, offset, lower, d.Span);
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }
}
