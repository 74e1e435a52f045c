namespace Vinfer.Random;

/// <summary>
/// A sampler parameter as seen by the range kernels: either one value for every element (stride 0) or one value
/// per element. Holds a raw pointer so kernels can run on worker threads; the caller keeps the memory pinned
/// (or on its stack) until the fill returns.
/// </summary>
internal readonly unsafe struct ParamView
{
    private readonly double* values;
    private readonly long stride;

    internal ParamView(double* values, bool perElement)
    {
        this.values = values;
        stride = perElement ? 1 : 0;
    }

    internal double this[long index] => values[index * stride];
}
