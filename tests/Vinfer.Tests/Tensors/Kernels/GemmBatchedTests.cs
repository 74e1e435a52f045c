using Vinfer.Tensors.Kernels;

namespace Vinfer.Tests.Tensors.Kernels;

/// <summary>Batched GEMM against item-by-item naive products, including a shared (stride 0) operand.</summary>
public class GemmBatchedTests
{
    [Theory]
    [InlineData(5, 3, 4, 2, false, false, false)]
    [InlineData(600, 16, 16, 16, false, true, false)] // many small items: the parallel-over-items path
    [InlineData(3, 70, 50, 90, true, false, false)]
    [InlineData(7, 9, 33, 8, false, false, true)] // B shared by every item
    public void MatchesNaivePerItem(int batch, int m, int n, int k, bool transA, bool transB, bool shareB)
    {
        int lda = (transA ? m : k) + 1, ldb = transB ? k : n, ldc = n + 2;
        long itemA = (long)(transA ? k : m) * lda, itemB = (long)(transB ? n : k) * ldb, itemC = (long)m * ldc;
        long strideA = itemA + 3, strideB = shareB ? 0 : itemB, strideC = itemC + 1;
        var a = BlasReference.Random((int)(strideA * batch), 1);
        var b = BlasReference.Random((int)(shareB ? itemB : strideB * batch), 2);
        var c = BlasReference.Random((int)(strideC * batch), 3);
        var want = (double[])c.Clone();
        Blas.GemmBatched(transA, transB, m, n, k, 0.5, a, lda, strideA, b, ldb, strideB, 2.0, c, ldc, strideC, batch);
        for (int t = 0; t < batch; t++)
        {
            var at = a.AsSpan((int)(t * strideA), (int)itemA).ToArray();
            var bt = b.AsSpan((int)(t * strideB), (int)itemB).ToArray();
            var ct = want.AsSpan((int)(t * strideC), (int)itemC).ToArray();
            BlasReference.Gemm(transA, transB, m, n, k, 0.5, at, lda, bt, ldb, 2.0, ct, ldc);
            BlasReference.AssertClose(ct, c.AsSpan((int)(t * strideC), (int)itemC).ToArray(), m, n, ldc, k, 0.5, 2.0, $"batch item {t}");
            // The gap between items is untouched.
            if (t < batch - 1) Assert.Equal(want[(int)(t * strideC + itemC)], c[(int)(t * strideC + itemC)]);
        }
    }

    [Fact]
    public void RejectsOverlappingOutputStride()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Blas.GemmBatched(false, false, 2, 2, 2, 1, new double[8], 2, 4, new double[8], 2, 4, 0, new double[8], 2, 3, 2));
        Assert.Contains("strideC", e.Message);
    }
}
