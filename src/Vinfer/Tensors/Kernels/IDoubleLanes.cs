namespace Vinfer.Tensors.Kernels;

/// <summary>
/// The arithmetic a kernel written once for several vector widths needs: <see cref="DoubleLanes512"/> (8 doubles),
/// <see cref="DoubleLanes256"/> (4) and <see cref="DoubleLane"/> (1, scalar). A kernel generic over
/// <typeparamref name="TSelf"/> (constrained to a struct) is compiled once per width and the members inline, so the
/// formulas exist once and each width gets straight-line vector code. (The runtime's own <c>ISimdVector</c> is not
/// public in .NET 10: it is absent from the reference assemblies.)
/// </summary>
internal unsafe interface IDoubleLanes<TSelf> where TSelf : struct, IDoubleLanes<TSelf>
{
    /// <summary>Doubles per value.</summary>
    static abstract int Count { get; }

    static abstract TSelf Zero { get; }

    static abstract TSelf One { get; }

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TSelf Create(double value);

    /// <summary>Loads <see cref="Count"/> doubles (unaligned).</summary>
    static abstract TSelf Load(double* source);

    /// <summary>Stores <see cref="Count"/> doubles (unaligned).</summary>
    void Store(double* destination);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a);

    /// <summary>a·b + c with one rounding.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);

    static abstract TSelf Abs(TSelf a);

    static abstract TSelf Max(TSelf a, TSelf b);

    static abstract TSelf Exp(TSelf a);

    static abstract TSelf Log(TSelf a);

    /// <summary>Per lane, <paramref name="ifTrue"/> where <paramref name="test"/> ≥ 0, else <paramref name="ifFalse"/>.</summary>
    static abstract TSelf SelectWhereNonNegative(TSelf test, TSelf ifTrue, TSelf ifFalse);

    /// <summary>The sum of the lanes.</summary>
    static abstract double Sum(TSelf a);
}
