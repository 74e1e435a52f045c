using System.Numerics;
using System.Runtime.Intrinsics;

namespace Vinfer.Tensors.Kernels;

/// <summary>
/// The vector widths the hand-vectorized kernels may use: by default whatever the hardware accelerates. Tests lower
/// them (<see cref="Restrict"/>) to run the 256-bit and scalar fallbacks on a machine that has the wider
/// instructions; the runtime's own switches (DOTNET_EnableAVX512F=0 and friends) only apply to a whole process.
/// Every kernel with a vector branch reads its width here instead of <c>Vector512.IsHardwareAccelerated</c>.
/// </summary>
internal static class VectorPaths
{
    /// <summary>Whether 512-bit kernels run (requires hardware acceleration).</summary>
    internal static bool Vector512Enabled { get; private set; } = Vector512.IsHardwareAccelerated;

    /// <summary>Whether 256-bit kernels run (requires hardware acceleration).</summary>
    internal static bool Vector256Enabled { get; private set; } = Vector256.IsHardwareAccelerated;

    /// <summary>Whether <see cref="Vector{T}"/> kernels run (requires hardware acceleration).</summary>
    internal static bool VectorEnabled { get; private set; } = Vector.IsHardwareAccelerated;

    /// <summary>
    /// Allows vectors of at most <paramref name="maximumBits"/> bits (512, 256 or 0 for scalar code) until the result
    /// is disposed. Process-wide: only for tests that run alone (not in parallel with other kernels).
    /// </summary>
    internal static IDisposable Restrict(int maximumBits)
    {
        if (maximumBits is not (0 or 256 or 512))
            throw new ArgumentOutOfRangeException(nameof(maximumBits), maximumBits, "VectorPaths.Restrict: expected 0, 256 or 512 bits.");
        var saved = (Vector512Enabled, Vector256Enabled, VectorEnabled);
        Vector512Enabled &= maximumBits >= 512;
        Vector256Enabled &= maximumBits >= 256;
        VectorEnabled &= maximumBits >= 256; // Vector<double> is 256 bits wide unless the runtime is told otherwise
        return new Restore(saved);
    }

    private sealed class Restore((bool V512, bool V256, bool Vector) saved) : IDisposable
    {
        public void Dispose() => (Vector512Enabled, Vector256Enabled, VectorEnabled) = saved;
    }
}
