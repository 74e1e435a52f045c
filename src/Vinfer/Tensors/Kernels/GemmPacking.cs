using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// Packs blocks of op(A) and op(B) into the contiguous micro-panel layout the GEMM micro-kernel streams through
/// (Goto &amp; van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008, §4):
/// A in panels of <c>mr</c> rows stored column by column, B in panels of <c>nr</c> columns stored row by row.
/// Partial panels are padded with zeros, so one micro-kernel serves every tile and edge tiles add exact zeros.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] into <paramref name="dest"/>: panel r (rows i0 + r·mr ...) occupies
    /// kc·mr elements starting at r·kc·mr, element (row, p) at p·mr + row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transA, double* a, nint lda, int i0, int mc, int p0, int kc, int mr, double* dest)
    {
        if (transA)
        {
            // A(i, p) = a[p·lda + i]: walk the stored rows in order (one sequential stream for the prefetcher)
            // and drop each run of mr values into its panel.
            int fullPanels = mc / mr, rest = mc % mr;
            bool vector8 = mr == 8 && VectorPaths.Vector512Enabled;
            for (int p = 0; p < kc; p++)
            {
                double* src = a + (p0 + p) * lda + i0;
                double* d = dest + (nint)p * mr;
                for (int panel = 0; panel < fullPanels; panel++, src += mr, d += (nint)kc * mr)
                {
                    if (vector8) Vector512.Store(Vector512.Load(src), d);
                    else for (int r = 0; r < mr; r++) d[r] = src[r];
                }
                if (rest > 0)
                {
                    int r = 0;
                    for (; r < rest; r++) d[r] = src[r];
                    for (; r < mr; r++) d[r] = 0.0;
                }
            }
            return;
        }

        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            double* panel = dest + (nint)ir * kc;
            // A(i, p) = a[i·lda + p]: each source row is contiguous in p, so walk it and scatter by mr.
            for (int r = 0; r < rows; r++)
            {
                double* src = a + (i0 + ir + r) * lda + p0;
                double* d = panel + r;
                for (int p = 0; p < kc; p++) d[(nint)p * mr] = src[p];
            }
            for (int r = rows; r < mr; r++)
                for (int p = 0; p < kc; p++) panel[(nint)p * mr + r] = 0.0;
        }
    }

    /// <summary>
    /// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] into <paramref name="dest"/>: panel c (columns j0 + c·nr ...) occupies
    /// kc·nr elements starting at c·kc·nr, element (p, col) at p·nr + col.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, double* b, nint ldb, int p0, int kc, int j0, int nc, int nr, double* dest)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            double* panel = dest + (nint)jr * kc;
            if (!transB)
            {
                // B(p, j) = b[p·ldb + j]: the nr values of one p are contiguous.
                for (int p = 0; p < kc; p++)
                {
                    double* src = b + (p0 + p) * ldb + j0 + jr;
                    double* d = panel + (nint)p * nr;
                    if (cols == nr)
                    {
                        int c = 0;
                        for (; c + Vector256<double>.Count <= nr; c += Vector256<double>.Count)
                            Vector256.Store(Vector256.Load(src + c), d + c);
                        for (; c < nr; c++) d[c] = src[c];
                    }
                    else
                    {
                        int c = 0;
                        for (; c < cols; c++) d[c] = src[c];
                        for (; c < nr; c++) d[c] = 0.0;
                    }
                }
            }
            else
            {
                // B(p, j) = b[j·ldb + p]: each source row of the stored matrix is contiguous in p.
                for (int c = 0; c < cols; c++)
                {
                    double* src = b + (j0 + jr + c) * ldb + p0;
                    double* d = panel + c;
                    for (int p = 0; p < kc; p++) d[(nint)p * nr] = src[p];
                }
                for (int c = cols; c < nr; c++)
                    for (int p = 0; p < kc; p++) panel[(nint)p * nr + c] = 0.0;
            }
        }
    }
}
