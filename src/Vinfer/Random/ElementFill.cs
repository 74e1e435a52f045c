namespace Vinfer.Random;

/// <summary>A scalar sampler over an element's own sub-stream, with up to two parameters.</summary>
internal interface IElementSampler
{
    /// <summary>One draw for one element, given that element's parameters.</summary>
    static abstract double Draw(ref ElementStream stream, double a, double b);
}

/// <summary>
/// Fills a span with a scalar sampler, element e drawing from <see cref="ElementStream"/>(key, e): the
/// rejection samplers' counter-based layout. Parallel over chunks for large fills; results do not depend on it.
/// </summary>
internal static class ElementFill
{
    internal static unsafe void FillRange<TSampler>(RandomKey key, ParamView a, ParamView b, double* destination, long start, int count)
        where TSampler : IElementSampler
    {
        for (long e = start, end = start + count; e < end; e++)
        {
            var stream = new ElementStream(key, e);
            destination[e] = TSampler.Draw(ref stream, a[e], b[e]);
        }
    }

    /// <summary>Fills all of destination; unitCost (an element's cost relative to a uniform) decides when to go parallel.</summary>
    internal static unsafe void Fill<TSampler>(RandomKey key, ParamView a, ParamView b, Span<double> destination, int unitCost)
        where TSampler : IElementSampler
    {
        fixed (double* output = destination)
        {
            long count = destination.Length;
            if (!ParallelFill.IsWorthIt(count, unitCost))
            {
                FillRange<TSampler>(key, a, b, output, 0, (int)count);
                return;
            }
            FillInParallel<TSampler>(key, a, b, (nint)output, count, unitCost);
        }
    }

    private static unsafe void FillInParallel<TSampler>(RandomKey key, ParamView a, ParamView b, nint output, long count, int unitCost)
        where TSampler : IElementSampler =>
        ParallelFill.Run(count, unitCost, (start, length) => FillRange<TSampler>(key, a, b, (double*)output, start, length));
}
