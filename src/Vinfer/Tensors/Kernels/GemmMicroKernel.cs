using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Register-tiled GEMM micro-kernels: C[tile] ⊕= alpha · Apanel · Bpanel over one k-block, with the accumulators
/// held in SIMD registers for the whole k loop (Goto &amp; van de Geijn 2008; Van Zee &amp; van de Geijn, "BLIS",
/// ACM TOMS 41(3), 2015, §3). Each output element is summed as acc = fma(a_p, b_p, acc) for p = 0, 1, … in order,
/// then merged into C by <see cref="Merge(double, double, double, double, bool)"/>: the same operations in the same
/// order whatever the tile position, which makes the blocked GEMM deterministic across thread counts.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of the AVX-512 tile.</summary>
    public const int Mr512 = 8;

    /// <summary>Columns of the AVX-512 tile (two 8-lane vectors).</summary>
    public const int Nr512 = 16;

    /// <summary>Rows of the AVX2 tile.</summary>
    public const int Mr256 = 6;

    /// <summary>Columns of the AVX2 tile (two 4-lane vectors).</summary>
    public const int Nr256 = 8;

    /// <summary>
    /// How an accumulated dot product <paramref name="acc"/> enters C: the first k-block applies beta
    /// (C is not read when beta = 0, so NaN in an uninitialised C does not leak), later blocks add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Merge(double c, double acc, double alpha, double beta, bool first) =>
        first
            ? (beta == 0.0 ? alpha * acc : Math.FusedMultiplyAdd(beta, c, alpha * acc))
            : Math.FusedMultiplyAdd(alpha, acc, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Merge512(double* c, Vector512<double> acc, Vector512<double> alpha, Vector512<double> beta, int mode)
    {
        // mode 0: first block, beta = 0; 1: first block; 2: later block. Same rounding as the scalar Merge.
        if (mode == 0) Vector512.Store(alpha * acc, c);
        else if (mode == 1) Vector512.Store(Vector512.FusedMultiplyAdd(beta, Vector512.Load(c), alpha * acc), c);
        else Vector512.Store(Vector512.FusedMultiplyAdd(alpha, acc, Vector512.Load(c)), c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Merge256(double* c, Vector256<double> acc, Vector256<double> alpha, Vector256<double> beta, int mode)
    {
        if (mode == 0) Vector256.Store(alpha * acc, c);
        else if (mode == 1) Vector256.Store(Vector256.FusedMultiplyAdd(beta, Vector256.Load(c), alpha * acc), c);
        else Vector256.Store(Vector256.FusedMultiplyAdd(alpha, acc, Vector256.Load(c)), c);
    }

    /// <summary>Writes a partial tile held in <paramref name="tile"/> (row stride <paramref name="nrFull"/>) into C.</summary>
    private static void MergeEdge(double* c, nint ldc, double* tile, int nrFull, int mr, int nr, double alpha, double beta, bool first)
    {
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++)
                c[i * ldc + j] = Merge(c[i * ldc + j], tile[i * nrFull + j], alpha, beta, first);
    }

    /// <summary>
    /// 8×16 AVX-512 tile: 16 accumulators, per k step two loads of B, eight broadcasts of A and 16 FMAs.
    /// <paramref name="mr"/> ≤ 8 and <paramref name="nr"/> ≤ 16 give how much of the tile lies inside C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x16(int kc, double* pa, double* pb, double* c, nint ldc, int mr, int nr, double alpha, double beta, bool first)
    {
        Vector512<double> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<double> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<double> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<double> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(pb);
            var b1 = Vector512.Load(pb + 8);
            var a = Vector512.Create(pa[0]);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00); c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            a = Vector512.Create(pa[1]);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10); c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            a = Vector512.Create(pa[2]);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20); c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            a = Vector512.Create(pa[3]);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30); c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            a = Vector512.Create(pa[4]);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40); c41 = Vector512.FusedMultiplyAdd(a, b1, c41);
            a = Vector512.Create(pa[5]);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50); c51 = Vector512.FusedMultiplyAdd(a, b1, c51);
            a = Vector512.Create(pa[6]);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60); c61 = Vector512.FusedMultiplyAdd(a, b1, c61);
            a = Vector512.Create(pa[7]);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70); c71 = Vector512.FusedMultiplyAdd(a, b1, c71);
            pa += Mr512;
            pb += Nr512;
        }

        int mode = first ? (beta == 0.0 ? 0 : 1) : 2;
        if (mr == Mr512 && nr == Nr512)
        {
            var va = Vector512.Create(alpha);
            var vb = Vector512.Create(beta);
            Merge512(c, c00, va, vb, mode); Merge512(c + 8, c01, va, vb, mode); c += ldc;
            Merge512(c, c10, va, vb, mode); Merge512(c + 8, c11, va, vb, mode); c += ldc;
            Merge512(c, c20, va, vb, mode); Merge512(c + 8, c21, va, vb, mode); c += ldc;
            Merge512(c, c30, va, vb, mode); Merge512(c + 8, c31, va, vb, mode); c += ldc;
            Merge512(c, c40, va, vb, mode); Merge512(c + 8, c41, va, vb, mode); c += ldc;
            Merge512(c, c50, va, vb, mode); Merge512(c + 8, c51, va, vb, mode); c += ldc;
            Merge512(c, c60, va, vb, mode); Merge512(c + 8, c61, va, vb, mode); c += ldc;
            Merge512(c, c70, va, vb, mode); Merge512(c + 8, c71, va, vb, mode);
            return;
        }

        double* tile = stackalloc double[Mr512 * Nr512];
        c00.Store(tile + 0 * Nr512); c01.Store(tile + 0 * Nr512 + 8);
        c10.Store(tile + 1 * Nr512); c11.Store(tile + 1 * Nr512 + 8);
        c20.Store(tile + 2 * Nr512); c21.Store(tile + 2 * Nr512 + 8);
        c30.Store(tile + 3 * Nr512); c31.Store(tile + 3 * Nr512 + 8);
        c40.Store(tile + 4 * Nr512); c41.Store(tile + 4 * Nr512 + 8);
        c50.Store(tile + 5 * Nr512); c51.Store(tile + 5 * Nr512 + 8);
        c60.Store(tile + 6 * Nr512); c61.Store(tile + 6 * Nr512 + 8);
        c70.Store(tile + 7 * Nr512); c71.Store(tile + 7 * Nr512 + 8);
        MergeEdge(c, ldc, tile, Nr512, mr, nr, alpha, beta, first);
    }

    /// <summary>
    /// The 8×16 AVX-512 tile reading A in place instead of from a packed panel: element (r, p) of the tile's A rows is
    /// at <c>a[r·rsA + p·csA]</c>. Used when an A block would serve only one or two B panels, so packing it costs
    /// more than it saves (tall-skinny products such as X·W with 16 columns). Rows r ≥ <paramref name="mr"/> re-read
    /// the last valid row (never out of bounds) and are not written. The summation order is that of
    /// <see cref="Kernel8x16"/>, so both give bit-identical results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel8x16Unpacked(int kc, double* a, nint rsA, nint csA, double* pb, double* c, nint ldc,
        int mr, int nr, double alpha, double beta, bool first)
    {
        int last = mr - 1;
        nint o1 = Math.Min(1, last) * rsA, o2 = Math.Min(2, last) * rsA, o3 = Math.Min(3, last) * rsA;
        nint o4 = Math.Min(4, last) * rsA, o5 = Math.Min(5, last) * rsA, o6 = Math.Min(6, last) * rsA, o7 = Math.Min(7, last) * rsA;
        Vector512<double> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<double> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<double> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<double> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(pb);
            var b1 = Vector512.Load(pb + 8);
            var x = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[o1]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[o2]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[o3]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[o4]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[o5]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[o6]);
            c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[o7]);
            c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            a += csA;
            pb += Nr512;
        }

        int mode = first ? (beta == 0.0 ? 0 : 1) : 2;
        if (mr == Mr512 && nr == Nr512)
        {
            var va = Vector512.Create(alpha);
            var vb = Vector512.Create(beta);
            Merge512(c, c00, va, vb, mode); Merge512(c + 8, c01, va, vb, mode); c += ldc;
            Merge512(c, c10, va, vb, mode); Merge512(c + 8, c11, va, vb, mode); c += ldc;
            Merge512(c, c20, va, vb, mode); Merge512(c + 8, c21, va, vb, mode); c += ldc;
            Merge512(c, c30, va, vb, mode); Merge512(c + 8, c31, va, vb, mode); c += ldc;
            Merge512(c, c40, va, vb, mode); Merge512(c + 8, c41, va, vb, mode); c += ldc;
            Merge512(c, c50, va, vb, mode); Merge512(c + 8, c51, va, vb, mode); c += ldc;
            Merge512(c, c60, va, vb, mode); Merge512(c + 8, c61, va, vb, mode); c += ldc;
            Merge512(c, c70, va, vb, mode); Merge512(c + 8, c71, va, vb, mode);
            return;
        }

        double* tile = stackalloc double[Mr512 * Nr512];
        c00.Store(tile + 0 * Nr512); c01.Store(tile + 0 * Nr512 + 8);
        c10.Store(tile + 1 * Nr512); c11.Store(tile + 1 * Nr512 + 8);
        c20.Store(tile + 2 * Nr512); c21.Store(tile + 2 * Nr512 + 8);
        c30.Store(tile + 3 * Nr512); c31.Store(tile + 3 * Nr512 + 8);
        c40.Store(tile + 4 * Nr512); c41.Store(tile + 4 * Nr512 + 8);
        c50.Store(tile + 5 * Nr512); c51.Store(tile + 5 * Nr512 + 8);
        c60.Store(tile + 6 * Nr512); c61.Store(tile + 6 * Nr512 + 8);
        c70.Store(tile + 7 * Nr512); c71.Store(tile + 7 * Nr512 + 8);
        MergeEdge(c, ldc, tile, Nr512, mr, nr, alpha, beta, first);
    }

    /// <summary>6×8 AVX2 tile: 12 accumulators in 16 YMM registers, for machines without AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x8(int kc, double* pa, double* pb, double* c, nint ldc, int mr, int nr, double alpha, double beta, bool first)
    {
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<double> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(pb);
            var b1 = Vector256.Load(pb + 4);
            var a = Vector256.Create(pa[0]);
            c00 = Vector256.FusedMultiplyAdd(a, b0, c00); c01 = Vector256.FusedMultiplyAdd(a, b1, c01);
            a = Vector256.Create(pa[1]);
            c10 = Vector256.FusedMultiplyAdd(a, b0, c10); c11 = Vector256.FusedMultiplyAdd(a, b1, c11);
            a = Vector256.Create(pa[2]);
            c20 = Vector256.FusedMultiplyAdd(a, b0, c20); c21 = Vector256.FusedMultiplyAdd(a, b1, c21);
            a = Vector256.Create(pa[3]);
            c30 = Vector256.FusedMultiplyAdd(a, b0, c30); c31 = Vector256.FusedMultiplyAdd(a, b1, c31);
            a = Vector256.Create(pa[4]);
            c40 = Vector256.FusedMultiplyAdd(a, b0, c40); c41 = Vector256.FusedMultiplyAdd(a, b1, c41);
            a = Vector256.Create(pa[5]);
            c50 = Vector256.FusedMultiplyAdd(a, b0, c50); c51 = Vector256.FusedMultiplyAdd(a, b1, c51);
            pa += Mr256;
            pb += Nr256;
        }

        int mode = first ? (beta == 0.0 ? 0 : 1) : 2;
        if (mr == Mr256 && nr == Nr256)
        {
            var va = Vector256.Create(alpha);
            var vb = Vector256.Create(beta);
            Merge256(c, c00, va, vb, mode); Merge256(c + 4, c01, va, vb, mode); c += ldc;
            Merge256(c, c10, va, vb, mode); Merge256(c + 4, c11, va, vb, mode); c += ldc;
            Merge256(c, c20, va, vb, mode); Merge256(c + 4, c21, va, vb, mode); c += ldc;
            Merge256(c, c30, va, vb, mode); Merge256(c + 4, c31, va, vb, mode); c += ldc;
            Merge256(c, c40, va, vb, mode); Merge256(c + 4, c41, va, vb, mode); c += ldc;
            Merge256(c, c50, va, vb, mode); Merge256(c + 4, c51, va, vb, mode);
            return;
        }

        double* tile = stackalloc double[Mr256 * Nr256];
        c00.Store(tile + 0 * Nr256); c01.Store(tile + 0 * Nr256 + 4);
        c10.Store(tile + 1 * Nr256); c11.Store(tile + 1 * Nr256 + 4);
        c20.Store(tile + 2 * Nr256); c21.Store(tile + 2 * Nr256 + 4);
        c30.Store(tile + 3 * Nr256); c31.Store(tile + 3 * Nr256 + 4);
        c40.Store(tile + 4 * Nr256); c41.Store(tile + 4 * Nr256 + 4);
        c50.Store(tile + 5 * Nr256); c51.Store(tile + 5 * Nr256 + 4);
        MergeEdge(c, ldc, tile, Nr256, mr, nr, alpha, beta, first);
    }
}
