using Vinfer.Tensors.Kernels;
using Xunit.Abstractions;

namespace Vinfer.Tests.Tensors.Kernels;

/// <summary>GEMV in both orientations on both backends against the naive loop; managed determinism across threads.</summary>
public class GemvTests(ITestOutputHelper output)
{
    public static TheoryData<int, int> Shapes() => new()
    {
        { 1, 1 }, { 1, 7 }, { 7, 1 }, { 33, 130 }, { 130, 33 }, { 5, 100 }, { 1000, 37 }, { 3000, 200 }, { 60000, 9 }, { 90, 6000 },
    };

    private static void Check(BlasBackend backend, bool transA, int m, int n, int pad, double alpha, double beta, int threads)
    {
        int lda = n + pad;
        var a = BlasReference.Random(m * lda, m + n);
        var x = BlasReference.Random(transA ? m : n, m * 3 + 1);
        var y0 = BlasReference.Random(transA ? n : m, n * 7 + 2);
        var want = (double[])y0.Clone();
        var got = (double[])y0.Clone();
        BlasReference.Gemv(transA, m, n, alpha, a, lda, x, beta, want);
        Blas.GemvUnchecked(backend, transA, m, n, alpha, a, lda, x, beta, got, threads);
        BlasReference.AssertClose(want, got, 1, want.Length, want.Length, transA ? m : n, alpha, beta,
            $"{backend} gemv m={m} n={n} transA={transA} pad={pad} alpha={alpha} beta={beta}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BothBackendsMatchNaive(int m, int n)
    {
        bool openBlas = BlasBackends.OpenBlasOrProveFallback(output);
        foreach (var backend in openBlas ? new[] { BlasBackend.Managed, BlasBackend.OpenBlas } : new[] { BlasBackend.Managed })
            foreach (bool t in new[] { false, true })
            {
                Check(backend, t, m, n, 0, 1, 0, 2);
                Check(backend, t, m, n, 3, -0.5, 1.5, 2);
            }
    }

    [Fact]
    public void ManagedIsBitIdenticalForAnyThreadCount()
    {
        foreach (bool t in new[] { false, true })
            foreach (var (m, n) in new[] { (40001, 103), (90, 6001) }) // row chunks; column ranges
        {
            var a = BlasReference.Random(m * n, 3);
            var x = BlasReference.Random(t ? m : n, 4);
            var y0 = BlasReference.Random(t ? n : m, 5);
            double[]? reference = null;
            foreach (int threads in new[] { 1, 2, 3, 5, 8 })
            {
                var y = (double[])y0.Clone();
                ManagedGemv.Gemv(t, m, n, 1.1, a, n, x, 0.4, y, threads);
                if (reference is null) reference = y;
                else Assert.True(reference.AsSpan().SequenceEqual(y), $"transA={t} m={m} n={n}: {threads} threads differ from 1 thread");
            }
        }
    }

    [Fact]
    public void PublicGemvMatchesNaive()
    {
        foreach (int m in new[] { 3, 500 })
        {
            int n = 40;
            var a = BlasReference.Random(m * n, 1);
            var x = BlasReference.Random(n, 2);
            var y = new double[m];
            var e = new double[m];
            Blas.Gemv(false, m, n, 2, a, n, x, 0, y);
            BlasReference.Gemv(false, m, n, 2, a, n, x, 0, e);
            BlasReference.AssertClose(e, y, 1, m, m, n, 2, 0, $"Blas.Gemv m={m}");
        }
    }
}
