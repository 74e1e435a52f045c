namespace Vinfer.Modeling;

/// <summary>
/// One conditionally independent dimension a site sits in (Pyro's <c>CondIndepStackFrame</c>): the plate's name, its
/// full size, the size actually drawn (equal to <see cref="Size"/> without subsampling) and the batch dimension it
/// occupies, counted from the right (−1 is the rightmost batch dimension).
/// </summary>
public sealed record PlateFrame(string Name, int Size, int SubsampleSize, int Dim)
{
    /// <summary>The factor the log-likelihood of a site in this plate is multiplied by: size / subsample size.</summary>
    public double Scale => (double)Size / SubsampleSize;
}
