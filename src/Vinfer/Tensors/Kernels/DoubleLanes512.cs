using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Tensors.Kernels;

/// <summary>8 doubles in a <see cref="Vector512{T}"/>: the 512-bit width of kernels written over <see cref="IDoubleLanes{TSelf}"/>.</summary>
internal readonly unsafe struct DoubleLanes512(Vector512<double> value) : IDoubleLanes<DoubleLanes512>
{
    public readonly Vector512<double> Value = value;

    public static int Count => Vector512<double>.Count;
    public static DoubleLanes512 Zero => new(Vector512<double>.Zero);
    public static DoubleLanes512 One => new(Vector512<double>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 Create(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 Load(double* source) => new(Vector512.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(double* destination) => Value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 operator +(DoubleLanes512 a, DoubleLanes512 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 operator -(DoubleLanes512 a, DoubleLanes512 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 operator *(DoubleLanes512 a, DoubleLanes512 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 operator /(DoubleLanes512 a, DoubleLanes512 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 operator -(DoubleLanes512 a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 FusedMultiplyAdd(DoubleLanes512 a, DoubleLanes512 b, DoubleLanes512 c) => new(Vector512.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 Abs(DoubleLanes512 a) => new(Vector512.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 Max(DoubleLanes512 a, DoubleLanes512 b) => new(Vector512.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 Exp(DoubleLanes512 a) => new(Vector512.Exp(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes512 Log(DoubleLanes512 a) => new(Vector512.Log(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes512 SelectWhereNonNegative(DoubleLanes512 test, DoubleLanes512 ifTrue, DoubleLanes512 ifFalse) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(test.Value, Vector512<double>.Zero), ifTrue.Value, ifFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(DoubleLanes512 a) => Vector512.Sum(a.Value);
}
