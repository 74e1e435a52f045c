using Vinfer.Tensors.Kernels;
using Xunit.Abstractions;

namespace Vinfer.Tests.Tensors.Kernels;

/// <summary>How VINFER_BLAS and the presence of OpenBLAS choose the backend.</summary>
public class BlasBackendSelectionTests(ITestOutputHelper output)
{
    [Fact]
    public void ResolvesSettings()
    {
        Assert.Equal((BlasBackend.OpenBlas, false), Blas.ResolveBackend(null, true));
        Assert.Equal((BlasBackend.Managed, false), Blas.ResolveBackend("", false));
        Assert.Equal((BlasBackend.OpenBlas, false), Blas.ResolveBackend("auto", true));
        Assert.Equal((BlasBackend.Managed, true), Blas.ResolveBackend("managed", true));
        Assert.Equal((BlasBackend.Managed, true), Blas.ResolveBackend(" Managed ", false));
        Assert.Equal((BlasBackend.OpenBlas, true), Blas.ResolveBackend("openblas", true));
        var missing = Assert.Throws<InvalidOperationException>(() => Blas.ResolveBackend("openblas", false));
        Assert.Contains("VINFER_BLAS=openblas", missing.Message);
        Assert.Contains("libopenblas0", missing.Message);
        var unknown = Assert.Throws<InvalidOperationException>(() => Blas.ResolveBackend("mkl", true));
        Assert.Contains("'mkl'", unknown.Message);
    }

    [Fact]
    public void ActiveBackendFollowsTheLibrary()
    {
        output.WriteLine($"OpenBLAS available: {Blas.IsOpenBlasAvailable} ({Blas.OpenBlasPath ?? "none"}); backend: {Blas.Backend}");
        string? setting = Environment.GetEnvironmentVariable("VINFER_BLAS");
        var expected = Blas.ResolveBackend(setting, Blas.IsOpenBlasAvailable).Backend;
        Assert.Equal(expected, Blas.Backend);
        if (string.IsNullOrEmpty(setting))
            Assert.Equal(Blas.IsOpenBlasAvailable ? BlasBackend.OpenBlas : BlasBackend.Managed, Blas.Backend);
        BlasBackends.OpenBlasOrProveFallback(output);
    }

    [Fact]
    public void DebianOpenBlasIsFoundWhenInstalled()
    {
        // On Debian/Ubuntu the package's library file decides whether the loader must find it.
        bool installed = File.Exists("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0")
                         || File.Exists("/usr/lib/x86_64-linux-gnu/libopenblas.so.0");
        output.WriteLine($"libopenblas.so.0 on disk: {installed}; loaded: {Blas.IsOpenBlasAvailable}");
        if (installed) Assert.True(Blas.IsOpenBlasAvailable, "libopenblas.so.0 is installed but was not loaded");
        else BlasBackends.OpenBlasOrProveFallback(output);
    }
}
