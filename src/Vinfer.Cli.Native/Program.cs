using System.Runtime.Intrinsics;
using Vinfer.Cli.Infrastructure;

namespace Vinfer.Cli.Native;

/// <summary>
/// The native vinfer's entry point: Vinfer.Cli's (<see cref="ManagedCommands.IsSupported"/> is false here), after one
/// choice. The package ships two builds: <c>vinfer</c> for x86-64-v3 (AVX2, FMA) and <c>vinfer-avx512</c> for
/// x86-64-v4. Native AOT fixes the vector width at compile time, and Vinfer's fastest kernels (the fused GLM
/// likelihood's blocked rows) exist only for 512-bit vectors, so on an AVX-512 CPU the v3 build replaces itself with
/// the v4 one (logistic regression N = 10,000: 6-9 s against 0.9-1.5 s per fit, docs/stan-comparison.md).
/// </summary>
public static class Program
{
    /// <summary>The x86-64-v4 build, beside this one in the package.</summary>
    public const string Avx512Build = "vinfer-avx512";

    public static int Main(string[] args)
    {
        // compile-time true in the v4 build (and under the JIT on an AVX-512 CPU): nothing to switch to
        if (!Vector512.IsHardwareAccelerated && Environment.GetEnvironmentVariable("VINFER_NO_AVX512") != "1" && CpuHasX86_64V4())
        {
            string avx512 = Path.Combine(AppContext.BaseDirectory, Avx512Build);
            if (File.Exists(avx512)) ProcessImage.Replace(avx512, [avx512, .. args]);   // returns only on failure: run this build
        }
        return Vinfer.Cli.Program.Main(args);
    }

    /// <summary>
    /// Whether the CPU and the kernel support x86-64-v4 (AVX-512 F, BW, CD, DQ, VL): Linux lists a feature in
    /// /proc/cpuinfo only when the kernel saves its registers, which the runtime's own check (CPUID and XGETBV) also requires.
    /// </summary>
    private static bool CpuHasX86_64V4()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (!line.StartsWith("flags", StringComparison.Ordinal)) continue;
                var flags = new HashSet<string>(line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
                return flags.IsSupersetOf(["avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"]);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }
}
