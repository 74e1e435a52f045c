using Vinfer.Tensors.Kernels;
using Xunit.Abstractions;

namespace Vinfer.Tests.Tensors.Kernels;

/// <summary>GEMM on both backends against the naive triple loop, on awkward shapes, transposes, strides and scalars.</summary>
public class GemmTests(ITestOutputHelper output)
{
    /// <summary>Sizes around the tile (8×16 / 6×8), the k-block (256) and the small/blocked switch.</summary>
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 1, 7, 33 }, { 7, 1, 130 }, { 33, 130, 7 }, { 130, 33, 1 }, { 7, 7, 7 },
        { 33, 33, 33 }, { 130, 130, 130 }, { 97, 61, 300 }, { 257, 17, 513 }, { 9, 300, 45 }, { 200, 3, 600 }, { 20, 9, 20000 },
    };

    private static readonly (double Alpha, double Beta)[] Scalars = [(1, 0), (0.75, -1.25), (-2, 1), (1, 1)];

    private void Check(BlasBackend backend, bool transA, bool transB, int m, int n, int k, int pad, double alpha, double beta, int seed, int threads)
    {
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        var a = BlasReference.Random((transA ? k : m) * lda, seed);
        var b = BlasReference.Random((transB ? n : k) * ldb, seed + 1);
        var c0 = BlasReference.Random(m * ldc, seed + 2);
        var expected = (double[])c0.Clone();
        var actual = (double[])c0.Clone();
        BlasReference.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, expected, ldc);
        Blas.GemmUnchecked(backend, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, actual, ldc, threads);
        BlasReference.AssertClose(expected, actual, m, n, ldc, k, alpha, beta,
            $"{backend} m={m} n={n} k={k} tA={transA} tB={transB} pad={pad} alpha={alpha} beta={beta} threads={threads}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ManagedMatchesNaive(int m, int n, int k)
    {
        int seed = m * 10007 + n * 101 + k;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var (alpha, beta) in Scalars)
                    Check(BlasBackend.Managed, ta, tb, m, n, k, pad: (seed++ % 3) * 2, alpha, beta, seed, threads: 2);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OpenBlasMatchesNaive(int m, int n, int k)
    {
        if (!BlasBackends.OpenBlasOrProveFallback(output)) return;
        int seed = m * 10007 + n * 101 + k;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var (alpha, beta) in Scalars)
                    Check(BlasBackend.OpenBlas, ta, tb, m, n, k, pad: (seed++ % 3) * 2, alpha, beta, seed, threads: 2);
    }

    [Fact]
    public void BackendsAgreeOnALargeProduct()
    {
        if (!BlasBackends.OpenBlasOrProveFallback(output)) return;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                int m = 301, n = 77, k = 555;
                int lda = ta ? m : k, ldb = tb ? k : n;
                var a = BlasReference.Random(m * k, 5);
                var b = BlasReference.Random(k * n, 6);
                var managed = BlasReference.Random(m * n, 7);
                var native = (double[])managed.Clone();
                Blas.GemmUnchecked(BlasBackend.Managed, ta, tb, m, n, k, 1.5, a, lda, b, ldb, 0.5, managed, n, 2);
                Blas.GemmUnchecked(BlasBackend.OpenBlas, ta, tb, m, n, k, 1.5, a, lda, b, ldb, 0.5, native, n, 2);
                BlasReference.AssertClose(native, managed, m, n, n, k, 1.5, 0.5, $"managed vs OpenBLAS tA={ta} tB={tb}");
            }
    }

    [Fact]
    public void ManagedIsBitIdenticalForAnyThreadCount()
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (var (m, n, k) in new[] { (203, 157, 611), (37, 19, 40000) }) // blocked; split along k
                    CheckThreadInvariance(ta, tb, m, n, k);
    }

    private static void CheckThreadInvariance(bool ta, bool tb, int m, int n, int k)
    {
        int lda = ta ? m : k, ldb = tb ? k : n;
        var a = BlasReference.Random(m * k, 11);
        var b = BlasReference.Random(k * n, 12);
        var c0 = BlasReference.Random(m * n, 13);
        double[]? reference = null;
        foreach (int threads in new[] { 1, 2, 3, 4, 7, 16 })
        {
            var c = (double[])c0.Clone();
            ManagedGemm.Gemm(ta, tb, m, n, k, 0.9, a, lda, b, ldb, -0.3, c, n, threads);
            if (reference is null) reference = c;
            else Assert.True(reference.AsSpan().SequenceEqual(c), $"tA={ta} tB={tb} m={m} n={n} k={k}: {threads} threads differ from 1 thread");
        }
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        foreach (var backend in BlasBackends.Available())
            foreach (int size in new[] { 3, 90 })
            {
                var a = BlasReference.Random(size * size, 1);
                var b = BlasReference.Random(size * size, 2);
                var c = Enumerable.Repeat(double.NaN, size * size).ToArray();
                Blas.GemmUnchecked(backend, false, false, size, size, size, 1, a, size, b, size, 0, c, size, 2);
                Assert.All(c, v => Assert.False(double.IsNaN(v), $"{backend}: NaN survived beta = 0"));
            }
    }

    [Fact]
    public void EmptyInnerDimensionScalesC()
    {
        foreach (var backend in BlasBackends.Available())
        {
            var c = new double[] { 1, 2, 3, 4, 5, 6 };
            Blas.GemmUnchecked(backend, false, false, 2, 3, 0, 1, [], 1, [], 3, 2.0, c, 3, 2);
            Assert.Equal(new double[] { 2, 4, 6, 8, 10, 12 }, c);
        }
        var z = new double[] { 1, double.NaN };
        Blas.Gemm(false, false, 1, 2, 0, 1, [], 1, [], 2, 0.0, z, 2);
        Assert.Equal(new double[] { 0, 0 }, z);
    }

    [Fact]
    public void PublicGemmMatchesNaive()
    {
        // Through the dispatcher: small sizes take the managed path, large ones the active backend.
        foreach (int size in new[] { 5, 120 })
        {
            int m = size, n = size + 3, k = size + 1;
            var a1 = BlasReference.Random(k * m, size);
            var b1 = BlasReference.Random(k * n, size + 1);
            var got = new double[m * n];
            var want = new double[m * n];
            Blas.Gemm(true, false, m, n, k, 1, a1, m, b1, n, 0, got, n);
            BlasReference.Gemm(true, false, m, n, k, 1, a1, m, b1, n, 0, want, n);
            BlasReference.AssertClose(want, got, m, n, n, k, 1, 0, $"Blas.Gemm size {size}");
        }
        var a = BlasReference.Random(4 * 6, 1);
        var b = BlasReference.Random(6 * 5, 2);
        var c = new double[4 * 5];
        var e = new double[4 * 5];
        Blas.Gemm(false, false, 4, 5, 6, 1, a, 6, b, 5, 0, c, 5);
        BlasReference.Gemm(false, false, 4, 5, 6, 1, a, 6, b, 5, 0, e, 5);
        BlasReference.AssertClose(e, c, 4, 5, 5, 6, 1, 0, "Blas.Gemm");
    }
}
