namespace Vinfer.Random;

/// <summary>
/// Samplers that fill spans from a <see cref="RandomKey"/>. Element i of every fill depends only on the key and
/// on i (never on the destination's length, the partitioning or the thread count), so one seed gives bit-identical
/// results everywhere on the same machine and .NET version. Each call should get its own key
/// (<see cref="RandomStream.NextKey"/> or <see cref="RandomKey.Child"/>).
/// </summary>
/// <remarks>
/// Each sampler has a scalar-parameter overload and a per-element overload whose parameter spans must have the
/// destination's length (broadcasting is the caller's job). Parameters are validated before anything is written:
/// a bad one throws <see cref="ArgumentOutOfRangeException"/> naming the sampler, the argument, the index and the
/// value, and leaves the destination untouched. Fills of 65,536 elements or more run in parallel chunks.
/// </remarks>
public static partial class Sample
{
    /// <summary>A scalar parameter as a broadcast view; the value lives on the caller's stack frame.</summary>
    private static unsafe ParamView Scalar(double* value) => new(value, perElement: false);

    /// <summary>A per-element parameter; the caller pins the span for the duration of the fill.</summary>
    private static unsafe ParamView PerElement(double* values) => new(values, perElement: true);
}
