namespace Vinfer.Tensors.Kernels;

/// <summary>Which implementation carries out <see cref="Blas"/> calls.</summary>
public enum BlasBackend
{
    /// <summary>The built-in C# kernels (<see cref="Blas"/> documents their algorithm): always available, deterministic.</summary>
    Managed,

    /// <summary>The system OpenBLAS (Debian's <c>libopenblas0</c>), loaded at run time through its CBLAS interface.</summary>
    OpenBlas,
}
