using Vinfer.Tensors.Kernels;
using Xunit.Abstractions;

namespace Vinfer.Tests.Tensors.Kernels;

/// <summary>Which backends the tests can exercise on this machine, and the check made when OpenBLAS is absent.</summary>
internal static class BlasBackends
{
    /// <summary>The managed kernel always; OpenBLAS when it loaded.</summary>
    public static IEnumerable<BlasBackend> Available()
    {
        yield return BlasBackend.Managed;
        if (Blas.IsOpenBlasAvailable) yield return BlasBackend.OpenBlas;
    }

    /// <summary>
    /// When OpenBLAS is absent, proves the fallback rather than passing silently: the automatic choice is the managed
    /// kernel and forcing OpenBLAS fails with the clear error. Returns whether OpenBLAS can be tested.
    /// </summary>
    public static bool OpenBlasOrProveFallback(ITestOutputHelper output)
    {
        if (Blas.IsOpenBlasAvailable)
        {
            output.WriteLine($"OpenBLAS loaded from {Blas.OpenBlasPath} ({Blas.OpenBlasThreads} threads): testing it.");
            return true;
        }
        output.WriteLine("OpenBLAS (libopenblas0) is NOT installed: checking the managed fallback and the forced-openblas error instead.");
        Assert.Equal(BlasBackend.Managed, Blas.ResolveBackend(null, openBlasAvailable: false).Backend);
        var e = Assert.Throws<InvalidOperationException>(() => Blas.ResolveBackend("openblas", openBlasAvailable: false));
        Assert.Contains("libopenblas", e.Message);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VINFER_BLAS")))
            Assert.Equal(BlasBackend.Managed, Blas.Backend);
        return false;
    }
}
