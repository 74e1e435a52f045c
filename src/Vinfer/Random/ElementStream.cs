using System.Runtime.CompilerServices;

namespace Vinfer.Random;

/// <summary>
/// The private random sub-stream of one output element, for samplers that consume a variable number of
/// uniforms (rejection, inversion by search). Draw j of element i is Philox block (i, j, ElementDomain) under the
/// key, so an element's value never depends on how many draws its neighbours needed: the counter-based
/// determinism survives rejection.
/// </summary>
internal struct ElementStream
{
    private readonly uint k0, k1, indexLow, indexHigh;
    private uint draw;
    private double spareUniform;
    private bool hasSpareUniform;
    private double spareNormal;
    private bool hasSpareNormal;

    internal ElementStream(RandomKey key, long index)
    {
        k0 = key.K0;
        k1 = key.K1;
        indexLow = (uint)index;
        indexHigh = (uint)((ulong)index >> 32);
    }

    /// <summary>A uniform draw in (0, 1) (see <see cref="Philox4x32.ToOpenUnit"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal double NextUniform()
    {
        if (hasSpareUniform)
        {
            hasSpareUniform = false;
            return spareUniform;
        }
        var block = Philox4x32.Generate(indexLow, indexHigh, draw++, RandomKey.ElementDomain, k0, k1);
        spareUniform = Philox4x32.ToOpenUnit(block.X2, block.X3);
        hasSpareUniform = true;
        return Philox4x32.ToOpenUnit(block.X0, block.X1);
    }

    /// <summary>A standard normal draw by Box–Muller (both outputs of a pair are used).</summary>
    internal double NextNormal()
    {
        if (hasSpareNormal)
        {
            hasSpareNormal = false;
            return spareNormal;
        }
        var block = Philox4x32.Generate(indexLow, indexHigh, draw++, RandomKey.ElementDomain, k0, k1);
        double radius = Math.Sqrt(-2.0 * Math.Log(Philox4x32.ToOpenUnit(block.X0, block.X1)));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * Philox4x32.ToOpenUnit(block.X2, block.X3));
        spareNormal = radius * sin;
        hasSpareNormal = true;
        return radius * cos;
    }
}
