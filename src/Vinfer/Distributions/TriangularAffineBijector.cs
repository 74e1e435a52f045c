using Vinfer.Tensors;

namespace Vinfer.Distributions;

/// <summary>
/// y = shift + L x on the last axis (event dimension 1), with L a constant lower-triangular matrix with positive
/// diagonal: the affine map of a Cholesky factor (Stan's multi_normal_cholesky reparameterization). Inverse by a
/// triangular solve; log|det ∂y/∂x| = Σᵢ log Lᵢᵢ, the same for every x.
/// </summary>
public sealed class TriangularAffineBijector : Bijector
{
    private readonly Tensor _transposed;
    private readonly double _logDeterminant;

    /// <summary>The map x ↦ <paramref name="shift"/> + <paramref name="lower"/>·x ([D] and [D, D], not differentiated).</summary>
    public TriangularAffineBijector(Tensor shift, Tensor lower)
    {
        ArgumentNullException.ThrowIfNull(shift);
        ArgumentNullException.ThrowIfNull(lower);
        if (shift.Rank != 1 || lower.Rank != 2 || lower.Shape[0] != shift.Shape[0] || lower.Shape[1] != shift.Shape[0])
            throw new ArgumentException($"TriangularAffineBijector: expected a shift [D] and a lower-triangular [D, D], got {Tensors.Kernels.Shapes.Format(shift.Shape)} and {Tensors.Kernels.Shapes.Format(lower.Shape)}.");
        int d = shift.Shape[0];
        var l = lower.Span;
        for (int i = 0; i < d; i++)
        {
            if (!(l[i * d + i] > 0)) throw new ArgumentException($"TriangularAffineBijector: L[{i},{i}] is {l[i * d + i]}, expected positive.", nameof(lower));
            _logDeterminant += Math.Log(l[i * d + i]);
        }
        Shift = shift.Detach();
        Lower = lower.Detach();
        _transposed = Lower.Transpose(0, 1);
    }

    /// <summary>The shift.</summary>
    public Tensor Shift { get; }

    /// <summary>L.</summary>
    public Tensor Lower { get; }

    /// <inheritdoc />
    public override int InputEventDim => 1;

    /// <inheritdoc />
    public override Tensor Forward(Tensor x) => Shift + x.MatMul(_transposed);

    /// <inheritdoc />
    public override Tensor Inverse(Tensor y)
    {
        var z = y - Shift;
        int d = Shift.Shape[0];
        var flat = z.Reshape(-1, d);
        var solved = Tensor.TriangularSolve(Lower, flat.Transpose(0, 1), lower: true).Transpose(0, 1);
        return solved.Reshape(z.Shape.ToArray());
    }

    /// <inheritdoc />
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y)
    {
        var batch = x.Shape[..^1].ToArray();
        return Tensor.Full(_logDeterminant, batch);
    }
}
