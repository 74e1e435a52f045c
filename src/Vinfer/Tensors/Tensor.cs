using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Tensors;

/// <summary>
/// An n-dimensional float64 array in contiguous row-major storage, with reverse-mode autodiff.
/// Ops are methods and operators on this type (<c>a * b + c.Exp()</c>); each op computes its value through the span
/// kernels in <see cref="Kernels"/> and, when an input requires a gradient, records a <see cref="GradNode"/>.
/// </summary>
public sealed partial class Tensor
{
    private double[]? _buffer;
    internal readonly int[] ShapeArray;
    private bool _requiresGrad;

    /// <summary>Number of elements.</summary>
    public int Count { get; }

    /// <summary>True when this tensor's buffer is its own (false for views such as reshapes and detached copies).</summary>
    internal bool OwnsBuffer { get; }

    /// <summary>The scope whose pool this tensor's buffer came from, if any.</summary>
    internal TensorScope? Scope { get; set; }

    /// <summary>Depth-first visit mark used by the backward pass (avoids a hash set per backward).</summary>
    internal int VisitStamp;

    internal Tensor(double[] buffer, int[] shape, int count, bool ownsBuffer)
    {
        _buffer = buffer;
        ShapeArray = shape;
        Count = count;
        OwnsBuffer = ownsBuffer;
    }

    /// <summary>The shape (dimension sizes, outermost first).</summary>
    public ReadOnlySpan<int> Shape => ShapeArray;

    /// <summary>Number of dimensions.</summary>
    public int Rank => ShapeArray.Length;

    /// <summary>Size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => ShapeArray[Shapes.NormalizeAxis(axis, Rank, nameof(Dim))];

    /// <summary>The elements, row-major. Writing through this span bypasses autodiff.</summary>
    public Span<double> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(Buffer, 0, Count);
    }

    internal double[] Buffer
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _buffer ?? ThrowReleased();
    }

    /// <summary>True once the scope that owned this tensor has ended.</summary>
    public bool IsReleased => _buffer is null;

    private static double[] ThrowReleased() => throw new ObjectDisposedException(nameof(Tensor),
        "This tensor was released when its TensorScope ended; call scope.Keep(t) or Clone() it before the scope ends.");

    // ---- autodiff state ----

    /// <summary>The op that produced this tensor, or null for a leaf.</summary>
    public GradNode? Node { get; internal set; }

    /// <summary>True for tensors not produced by a recorded op (data and parameters).</summary>
    public bool IsLeaf => Node is null;

    /// <summary>
    /// Whether gradients flow to this tensor. Settable on leaves only (parameters); op results require a gradient
    /// when any input does and gradient recording is enabled.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad || Node is not null;
        set
        {
            if (Node is not null) throw new InvalidOperationException("RequiresGrad can only be set on a leaf tensor; use Detach() to cut the graph.");
            _requiresGrad = value;
        }
    }

    /// <summary>The accumulated gradient of the last backward pass(es), same shape as this tensor; null until one ran.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>Sets <see cref="Grad"/> to zero in place (keeping its buffer), as optimizers do between steps.</summary>
    public void ZeroGrad() => Grad?.Span.Clear();

    /// <summary>Runs reverse-mode differentiation from this scalar (or with an explicit output gradient).</summary>
    public void Backward(Tensor? outputGradient = null) => Autograd.Backward(this, outputGradient);

    // ---- allocation ----

    /// <summary>
    /// A new tensor of the given shape with unspecified contents; pooled when a <see cref="TensorScope"/> is open.
    /// Takes ownership of <paramref name="shape"/>.
    /// </summary>
    internal static Tensor Uninitialized(int[] shape)
    {
        int count = Shapes.Count(shape);
        var scope = TensorScope.Current;
        if (scope is null)
            return new Tensor(count == 0 ? Array.Empty<double>() : count <= 64 ? new double[count] : GC.AllocateUninitializedArray<double>(count), shape, count, true);
        var t = new Tensor(scope.Rent(count), shape, count, true) { Scope = scope };
        scope.Register(t);
        return t;
    }

    /// <summary>A new tensor that is never pooled (leaf gradients, parameters).</summary>
    internal static Tensor Persistent(int[] shape)
    {
        int count = Shapes.Count(shape);
        return new Tensor(new double[count], shape, count, true);
    }

    /// <summary>A view sharing this tensor's buffer under another shape (same count).</summary>
    internal Tensor ViewAs(int[] shape)
    {
        var t = new Tensor(Buffer, shape, Count, false);
        TensorScope.Current?.Register(t);
        return t;
    }

    internal void ReleaseTo(BufferPool<double> pool)
    {
        var b = _buffer;
        _buffer = null;
        if (b is not null && OwnsBuffer) pool.Return(b);
    }

    // ---- factories ----

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        var t = Uninitialized((int[])shape.Clone());
        t.Span.Clear();
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1.0, shape);

    /// <summary>A tensor filled with one value.</summary>
    public static Tensor Full(double value, params int[] shape)
    {
        var t = Uninitialized((int[])shape.Clone());
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A rank-0 tensor holding one value.</summary>
    public static Tensor Scalar(double value)
    {
        var t = Uninitialized(Array.Empty<int>());
        t.Buffer[0] = value;
        return t;
    }

    /// <summary>A tensor holding a copy of <paramref name="values"/> under <paramref name="shape"/> (a vector when omitted).</summary>
    public static Tensor FromArray(ReadOnlySpan<double> values, params int[] shape)
    {
        int[] s = shape.Length == 0 ? [values.Length] : (int[])shape.Clone();
        int count = Shapes.Count(s);
        if (count != values.Length)
            throw new ArgumentException($"FromArray: {values.Length} values do not fill shape {Shapes.Format(s)} ({count} elements).");
        var t = Uninitialized(s);
        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>A matrix from a rectangular 2-D array.</summary>
    public static Tensor FromArray(double[,] values)
    {
        int r = values.GetLength(0), c = values.GetLength(1);
        var t = Uninitialized([r, c]);
        var s = t.Span;
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) s[i * c + j] = values[i, j];
        return t;
    }

    /// <summary>Wraps an existing array without copying (the caller keeps it alive and unchanged while in use).</summary>
    public static Tensor Wrap(double[] values, params int[] shape)
    {
        int[] s = shape.Length == 0 ? [values.Length] : (int[])shape.Clone();
        int count = Shapes.Count(s);
        if (count > values.Length)
            throw new ArgumentException($"Wrap: array of {values.Length} values is too short for shape {Shapes.Format(s)}.");
        return new Tensor(values, s, count, false);
    }

    /// <summary>A learnable leaf: a persistent (never pooled) copy of <paramref name="values"/> with RequiresGrad set.</summary>
    public static Tensor Parameter(ReadOnlySpan<double> values, params int[] shape)
    {
        int[] s = shape.Length == 0 ? [values.Length] : (int[])shape.Clone();
        var t = Persistent(s);
        if (t.Count != values.Length)
            throw new ArgumentException($"Parameter: {values.Length} values do not fill shape {Shapes.Format(s)}.");
        values.CopyTo(t.Span);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>0, 1, …, n−1.</summary>
    public static Tensor Arange(int n)
    {
        var t = Uninitialized([n]);
        var s = t.Span;
        for (int i = 0; i < n; i++) s[i] = i;
        return t;
    }

    // ---- element access ----

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        if (Count != 1) throw new InvalidOperationException($"Item: tensor of shape {Shapes.Format(Shape)} has {Count} elements, not 1.");
        return Buffer[0];
    }

    /// <summary>The element at a full index (no autodiff).</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public double this[params int[] index]
    {
        get => Buffer[FlatIndex(index)];
        set => Buffer[FlatIndex(index)] = value;
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Rank) throw new ArgumentException($"Index of rank {index.Length} for a tensor of rank {Rank}.");
        int flat = 0;
        for (int i = 0; i < index.Length; i++)
        {
            int k = index[i] < 0 ? index[i] + ShapeArray[i] : index[i];
            if ((uint)k >= (uint)ShapeArray[i]) throw new IndexOutOfRangeException($"Index {index[i]} out of range for dimension {i} of size {ShapeArray[i]}.");
            flat = flat * ShapeArray[i] + k;
        }
        return flat;
    }

    /// <summary>A copy of the elements.</summary>
    public double[] ToArray() => Span.ToArray();

    /// <summary>A tensor sharing these values but cut from the graph (no gradient flows through it).</summary>
    public Tensor Detach() => ViewAs(ShapeArray);

    /// <summary>A copy with its own buffer, cut from the graph.</summary>
    public Tensor Clone()
    {
        var t = Uninitialized(ShapeArray);
        Span.CopyTo(t.Span);
        return t;
    }

    /// <summary>Copies values from another tensor of the same shape, in place, outside autodiff.</summary>
    public void CopyFrom(Tensor source)
    {
        if (!Shapes.Equal(Shape, source.Shape))
            throw new ArgumentException($"CopyFrom: shape {Shapes.Format(source.Shape)} does not match {Shapes.Format(Shape)}.");
        source.Span.CopyTo(Span);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        if (IsReleased) return $"Tensor{Shapes.Format(Shape)} (released)";
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(Shapes.Format(Shape)).Append(' ');
        int n = Math.Min(Count, 12);
        sb.Append('[');
        for (int i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(Buffer[i].ToString("G6", CultureInfo.InvariantCulture));
        }
        if (Count > n) sb.Append(", …");
        sb.Append(']');
        return sb.ToString();
    }
}
