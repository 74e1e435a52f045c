using System.Runtime.Intrinsics;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Tests.Tensors.Kernels;

/// <summary>
/// Each micro-kernel on its own (packing included), so the AVX2 tile is tested on AVX-512 machines too, and the
/// unpacked-A tile is checked to be bit-identical to the packed one.
/// </summary>
public unsafe class GemmMicroKernelTests
{
    private delegate void Kernel(int kc, double* pa, double* pb, double* c, nint ldc, int mr, int nr, double alpha, double beta, bool first);

    [Theory]
    [InlineData(6, 8, 5, 7, 3, false, false)]
    [InlineData(6, 8, 6, 8, 40, true, true)]
    [InlineData(8, 16, 8, 16, 33, false, true)]
    [InlineData(8, 16, 3, 11, 1, true, false)]
    public void PackedTileMatchesNaive(int mrFull, int nrFull, int mr, int nr, int kc, bool transA, bool transB)
    {
        if (mrFull == 8 && !Vector512.IsHardwareAccelerated) return; // the AVX-512 tile needs the hardware
        Kernel kernel = mrFull == 8 ? GemmMicroKernel.Kernel8x16 : GemmMicroKernel.Kernel6x8;
        int lda = transA ? mr + 2 : kc + 1, ldb = transB ? kc + 3 : nr + 1, ldc = nr + 4;
        var a = BlasReference.Random((transA ? kc : mr) * lda, 1);
        var b = BlasReference.Random((transB ? nr : kc) * ldb, 2);
        foreach (var (alpha, beta, first) in new[] { (1.0, 0.0, true), (0.5, -2.0, true), (1.5, 3.0, false) })
        {
            var c = BlasReference.Random(mr * ldc, 3);
            var want = (double[])c.Clone();
            if (first) BlasReference.Gemm(transA, transB, mr, nr, kc, alpha, a, lda, b, ldb, beta, want, ldc);
            else
            {
                // A later k-block adds alpha·A·B onto C.
                BlasReference.Gemm(transA, transB, mr, nr, kc, alpha, a, lda, b, ldb, 1.0, want, ldc);
            }
            var pa = new double[mrFull * kc];
            var pb = new double[nrFull * kc];
            fixed (double* ap = a, bp = b, pap = pa, pbp = pb, cp = c)
            {
                GemmPacking.PackA(transA, ap, lda, 0, mr, 0, kc, mrFull, pap);
                GemmPacking.PackB(transB, bp, ldb, 0, kc, 0, nr, nrFull, pbp);
                kernel(kc, pap, pbp, cp, ldc, mr, nr, alpha, beta, first);
            }
            BlasReference.AssertClose(want, c, mr, nr, ldc, kc, alpha, beta, $"{mrFull}x{nrFull} tile mr={mr} nr={nr} kc={kc} first={first}");
        }
    }

    [Theory]
    [InlineData(8, 16, 100, false)]
    [InlineData(5, 9, 37, true)]
    public void UnpackedTileIsBitIdenticalToPacked(int mr, int nr, int kc, bool transA)
    {
        if (!Vector512.IsHardwareAccelerated) return; // both tiles are AVX-512
        int lda = transA ? mr + 1 : kc + 2, ldc = nr;
        var a = BlasReference.Random((transA ? kc : mr) * lda, 4);
        var b = BlasReference.Random(kc * nr, 5);
        var c0 = BlasReference.Random(mr * ldc, 6);
        var packed = (double[])c0.Clone();
        var inPlace = (double[])c0.Clone();
        var pa = new double[8 * kc];
        var pb = new double[16 * kc];
        fixed (double* ap = a, bp = b, pap = pa, pbp = pb, c1 = packed, c2 = inPlace)
        {
            GemmPacking.PackA(transA, ap, lda, 0, mr, 0, kc, 8, pap);
            GemmPacking.PackB(false, bp, nr, 0, kc, 0, nr, 16, pbp);
            GemmMicroKernel.Kernel8x16(kc, pap, pbp, c1, ldc, mr, nr, 0.7, 1.3, true);
            GemmMicroKernel.Kernel8x16Unpacked(kc, ap, transA ? 1 : lda, transA ? lda : 1, pbp, c2, ldc, mr, nr, 0.7, 1.3, true);
        }
        Assert.True(packed.AsSpan().SequenceEqual(inPlace), "unpacked-A tile differs from the packed tile");
    }
}
