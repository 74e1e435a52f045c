using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Models;

/// <summary>The linear predictor X·β of the regression models, for one coefficient vector or a batch of particles.</summary>
public static class LinearPredictor
{
    /// <summary>
    /// X·β given Xᵀ (D×N, transposed once when the model is bound), where β has shape [D] or [..., 1, D]
    /// (particles left of the data plate, the plate's slot holding 1): the result has shape [N] or [..., N].
    /// One GEMM of all particles' coefficients against the data.
    /// </summary>
    public static Tensor Compute(Tensor xTransposed, Tensor beta)
    {
        if (xTransposed.Rank != 2) throw new ArgumentException($"LinearPredictor: Xᵀ must be a matrix, got shape {Shapes.Format(xTransposed.Shape)}.");
        int d = xTransposed.Dim(0), n = xTransposed.Dim(1);
        if (beta.Dim(-1) != d) throw new ArgumentException($"LinearPredictor: X has {d} columns but beta has {beta.Dim(-1)} entries.");
        if (beta.Rank == 1) return beta.MatMul(xTransposed);
        if (beta.Dim(-2) != 1)
            throw new ArgumentException($"LinearPredictor: beta of shape {Shapes.Format(beta.Shape)} must have size 1 in the data plate's dimension (-2).");
        var outShape = beta.Shape[..^2].ToArray().Append(n).ToArray();
        return beta.Reshape(-1, d).MatMul(xTransposed).Reshape(outShape);
    }
}
