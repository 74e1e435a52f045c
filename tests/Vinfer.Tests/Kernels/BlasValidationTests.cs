using Vinfer.Tensors.Kernels;

namespace Vinfer.Tests.Kernels;

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
