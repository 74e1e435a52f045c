using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

// Matrix products with NumPy/PyTorch matmul semantics, through the BLAS dispatcher (OpenBLAS when present, else the
// managed blocked kernel).
public sealed partial class Tensor
{
    /// <summary>
    /// The matrix product with <c>torch.matmul</c> semantics: vector·vector is a dot product, matrix·vector and
    /// vector·matrix are GEMV, and tensors of rank ≥ 3 are batches of matrices whose leading (batch) dimensions
    /// broadcast.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"MatMul: operands must have rank ≥ 1, got {Shapes.Format(Shape)} and {Shapes.Format(other.Shape)}.");
        if (Rank == 1 && other.Rank == 1) return Reshape(1, Count).MatMulCore(other.Reshape(other.Count, 1)).Reshape();
        if (Rank == 1) return Unsqueeze(0).MatMulCore(other).Squeeze(-2);
        if (other.Rank == 1) return MatMulCore(other.Unsqueeze(1)).Squeeze(-1);
        return MatMulCore(other);
    }

    /// <summary>The product of two tensors of rank ≥ 2.</summary>
    private Tensor MatMulCore(Tensor b)
    {
        var a = this;
        int m = a.ShapeArray[^2], k = a.ShapeArray[^1], kb = b.ShapeArray[^2], n = b.ShapeArray[^1];
        if (k != kb)
            throw new ArgumentException($"MatMul: inner dimensions differ: {Shapes.Format(a.Shape)} · {Shapes.Format(b.Shape)} ({k} vs {kb}).");
        var batch = Shapes.Broadcast(a.ShapeArray.AsSpan(0, a.Rank - 2), b.ShapeArray.AsSpan(0, b.Rank - 2), "MatMul (batch dimensions)");
        var shape = new int[batch.Length + 2];
        batch.CopyTo(shape, 0);
        shape[^2] = m; shape[^1] = n;
        var r = Uninitialized(shape);
        BatchedProduct(a, false, b, false, r, batch);
        return Autograd.ShouldRecord(a, b) ? Autograd.Record(r, new MatMulBackward(a, b, batch)) : r;
    }

    /// <summary>
    /// c[t] = op(a[t])·op(b[t]) over the broadcast batch. An operand whose batch is a single matrix is reused with stride 0;
    /// one whose batch only partly broadcasts is expanded first.
    /// </summary>
    private static void BatchedProduct(Tensor a, bool transA, Tensor b, bool transB, Tensor c, int[] batch)
    {
        int batchCount = Shapes.Count(batch);
        int aRows = a.ShapeArray[^2], aCols = a.ShapeArray[^1], bRows = b.ShapeArray[^2], bCols = b.ShapeArray[^1];
        int m = transA ? aCols : aRows, k = transA ? aRows : aCols, n = transB ? bRows : bCols;
        var (aData, strideA) = BatchOperand(a, batch, batchCount);
        var (bData, strideB) = BatchOperand(b, batch, batchCount);
        if (batchCount == 1)
            Blas.Gemm(transA, transB, m, n, k, 1.0, aData, aCols, bData, bCols, 0.0, c.Span, n);
        else
            Blas.GemmBatched(transA, transB, m, n, k, 1.0, aData, aCols, strideA, bData, bCols, strideB, 0.0, c.Span, n, (long)m * n, batchCount);
    }

    private static (double[] Data, long Stride) BatchOperand(Tensor t, int[] batch, int batchCount)
    {
        int matrix = t.ShapeArray[^1] * t.ShapeArray[^2];
        int own = t.Count / Math.Max(matrix, 1);
        if (own == batchCount || matrix == 0) return (t.Buffer, matrix);
        if (own == 1) return (t.Buffer, 0);
        var full = new int[batch.Length + 2];
        batch.CopyTo(full, 0);
        full[^2] = t.ShapeArray[^2]; full[^1] = t.ShapeArray[^1];
        var expanded = Uninitialized(full);
        Broadcasting.Expand(t.Span, t.Shape, expanded.Span, full);
        return (expanded.Buffer, matrix);
    }

    private sealed class MatMulBackward(Tensor a, Tensor b, int[] batch) : GradNode(a, b)
    {
        public override void Backward(Tensor output, Tensor g)
        {
            var a = Inputs[0]; var b = Inputs[1];
            if (a.RequiresGrad)
            {
                // dA = G·Bᵀ, formed over the full batch; Accumulate sums broadcast batch dimensions away
                var shape = (int[])output.ShapeArray.Clone();
                shape[^1] = a.ShapeArray[^1];
                var ga = Uninitialized(shape);
                BatchedProduct(g, false, b, true, ga, batch);
                Autograd.AccumulateOwned(a, ga);
            }
            if (b.RequiresGrad)
            {
                // dB = Aᵀ·G
                var shape = (int[])output.ShapeArray.Clone();
                shape[^2] = b.ShapeArray[^2];
                var gb = Uninitialized(shape);
                BatchedProduct(a, true, g, false, gb, batch);
                Autograd.AccumulateOwned(b, gb);
            }
        }
    }
}
