using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Vinfer.Tensors.Kernels;

/// <summary>4 doubles in a <see cref="Vector256{T}"/>: the 256-bit width of kernels written over <see cref="IDoubleLanes{TSelf}"/>.</summary>
internal readonly unsafe struct DoubleLanes256(Vector256<double> value) : IDoubleLanes<DoubleLanes256>
{
    public readonly Vector256<double> Value = value;

    public static int Count => Vector256<double>.Count;
    public static DoubleLanes256 Zero => new(Vector256<double>.Zero);
    public static DoubleLanes256 One => new(Vector256<double>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 Create(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 Load(double* source) => new(Vector256.Load(source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public void Store(double* destination) => Value.Store(destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 operator +(DoubleLanes256 a, DoubleLanes256 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 operator -(DoubleLanes256 a, DoubleLanes256 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 operator *(DoubleLanes256 a, DoubleLanes256 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 operator /(DoubleLanes256 a, DoubleLanes256 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 operator -(DoubleLanes256 a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 FusedMultiplyAdd(DoubleLanes256 a, DoubleLanes256 b, DoubleLanes256 c) => new(Vector256.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 Abs(DoubleLanes256 a) => new(Vector256.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 Max(DoubleLanes256 a, DoubleLanes256 b) => new(Vector256.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 Exp(DoubleLanes256 a) => new(Vector256.Exp(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static DoubleLanes256 Log(DoubleLanes256 a) => new(Vector256.Log(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DoubleLanes256 SelectWhereNonNegative(DoubleLanes256 test, DoubleLanes256 ifTrue, DoubleLanes256 ifFalse) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(test.Value, Vector256<double>.Zero), ifTrue.Value, ifFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double Sum(DoubleLanes256 a) => Vector256.Sum(a.Value);
}
