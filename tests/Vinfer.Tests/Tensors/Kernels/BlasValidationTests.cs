using Vinfer.Tensors.Kernels;

namespace Vinfer.Tests.Tensors.Kernels;

/// <summary>Bad arguments fail at the public boundary with a message naming the function, argument and values.</summary>
public class BlasValidationTests
{
    [Fact]
    public void NegativeDimension()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Blas.Gemm(false, false, -1, 2, 2, 1, new double[4], 2, new double[4], 2, 0, new double[4], 2));
        Assert.Contains("Blas.Gemm", e.Message);
        Assert.Contains("m must be >= 0", e.Message);
    }

    [Fact]
    public void LeadingDimensionTooSmall()
    {
        // op(A) = A is 3×4, so lda must be >= 4.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Blas.Gemm(false, false, 3, 2, 4, 1, new double[12], 3, new double[8], 2, 0, new double[6], 2));
        Assert.Equal("lda", e.ParamName);
        Assert.Contains("lda = 3", e.Message);
        // Transposed A is stored 4×3, so lda = 3 is fine there.
        Blas.Gemm(true, false, 3, 2, 4, 1, new double[12], 3, new double[8], 2, 0, new double[6], 2);
    }

    [Fact]
    public void SpanTooShort()
    {
        var e = Assert.Throws<ArgumentException>(() => Blas.Gemm(false, true, 3, 2, 4, 1, new double[12], 4, new double[7], 4, 0, new double[6], 2));
        Assert.Equal("b", e.ParamName);
        Assert.Contains("b has length 7", e.Message);
        Assert.Contains("needs at least 8", e.Message);
    }

    [Fact]
    public void OutputOverlapsInput()
    {
        var buffer = new double[20];
        var e = Assert.Throws<ArgumentException>(() => Blas.Gemm(false, false, 2, 2, 2, 1, buffer.AsSpan(0, 4), 2, new double[4], 2, 0, buffer.AsSpan(2, 4), 2));
        Assert.Contains("overlaps", e.Message);
    }

    [Fact]
    public void GemvVectorLength()
    {
        var e = Assert.Throws<ArgumentException>(() => Blas.Gemv(true, 3, 2, 1, new double[6], 2, new double[2], 0, new double[2]));
        Assert.Equal("x", e.ParamName);
        Assert.Contains("must have length 3", e.Message);
    }

    [Fact]
    public void MaxThreadsMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Blas.MaxThreads = 0);
    }
}

/// <summary>The calls a tensor op makes on tiny operands allocate nothing (validation included).</summary>
public class BlasAllocationTests
{
    [Fact]
    public void TinyCallsAllocateNothing()
    {
        var a = BlasReference.Random(12, 1);
        var b = BlasReference.Random(12, 2);
        var c = new double[9];
        var y = new double[3];
        Action[] calls =
        [
            () => Blas.Gemm(false, true, 3, 3, 4, 1, a, 4, b, 4, 0, c, 3),
            () => Blas.Gemm(true, false, 3, 3, 4, 1, a, 3, b, 3, 1, c, 3),
            () => Blas.Gemv(false, 3, 4, 1, a, 4, b.AsSpan(0, 4), 0, y),
            () => Blas.GemmBatched(false, false, 1, 3, 2, 1, a, 2, 2, b, 3, 0, 0, c, 3, 3, 3),
        ];
        for (int which = 0; which < calls.Length; which++)
        {
            calls[which]();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++) calls[which]();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"call {which} allocated {allocated} bytes in 100 calls");
        }
    }
}
