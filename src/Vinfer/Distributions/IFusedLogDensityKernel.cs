namespace Vinfer.Distributions;

/// <summary>
/// A scalar log-density with two parameters, evaluated with all three partial derivatives in one pass over
/// contiguous spans of equal length (a derivative span is empty when that partial is not wanted; all are ignored without <c>withGradients</c>).
/// </summary>
internal interface IFusedLogDensityKernel
{
    /// <summary>
    /// logp[i] = log p(x[i] | a[i], b[i]); when <paramref name="withGradients"/>, dx, da, db get the partials.
    /// </summary>
    static abstract void Run(ReadOnlySpan<double> x, ReadOnlySpan<double> a, ReadOnlySpan<double> b,
        Span<double> logp, Span<double> dx, Span<double> da, Span<double> db, bool withGradients);
}
