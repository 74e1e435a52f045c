using System.Runtime.CompilerServices;

namespace Vinfer.Tensors.Kernels;

/// <summary>One double: the scalar width of kernels written over <see cref="IDoubleLanes{TSelf}"/> (row tails and the
/// path without vectors run the same formulas as the vector widths).</summary>
internal readonly unsafe struct DoubleLane(double value) : IDoubleLanes<DoubleLane>
{
    public readonly double Value = value;

    public static int Count => 1;
    public static DoubleLane Zero => new(0.0);
    public static DoubleLane One => new(1.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane Create(double value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane Load(double* source) => new(*source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(double* destination) => *destination = Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane operator +(DoubleLane a, DoubleLane b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane operator -(DoubleLane a, DoubleLane b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane operator *(DoubleLane a, DoubleLane b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane operator /(DoubleLane a, DoubleLane b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane operator -(DoubleLane a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane FusedMultiplyAdd(DoubleLane a, DoubleLane b, DoubleLane c) => new(Math.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane Abs(DoubleLane a) => new(Math.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane Max(DoubleLane a, DoubleLane b) => new(Math.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane Exp(DoubleLane a) => new(Math.Exp(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLane Log(DoubleLane a) => new(Math.Log(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLane SelectWhereNonNegative(DoubleLane test, DoubleLane ifTrue, DoubleLane ifFalse) => test.Value >= 0 ? ifTrue : ifFalse;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(DoubleLane a) => a.Value;
}
