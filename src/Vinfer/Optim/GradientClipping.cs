using System.Numerics.Tensors;
using Tensor = Vinfer.Tensors.Tensor;

namespace Vinfer.Optim;

/// <summary>Gradient clipping by global norm (Pascanu, Mikolov &amp; Bengio 2013, "On the difficulty of training
/// recurrent neural networks"; PyTorch clip_grad_norm_).</summary>
public static class GradientClipping
{
    /// <summary>
    /// The Euclidean norm of all gradients taken together, √Σ‖gᵢ‖². Parameters without a gradient are skipped.
    /// Computed with scaling so that huge gradients do not overflow.
    /// </summary>
    public static double GlobalNorm(IEnumerable<KeyValuePair<string, Tensor>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double scale = 0;
        foreach (var (_, p) in parameters)
        {
            if (p.Grad is not { Count: > 0 } g) continue;
            double m = Math.Abs(TensorPrimitives.MaxMagnitude<double>(g.Span));
            if (double.IsNaN(m)) return double.NaN;
            scale = Math.Max(scale, m);
        }
        if (scale == 0) return 0;
        if (double.IsInfinity(scale)) return double.PositiveInfinity;
        double sum = 0;
        foreach (var (_, p) in parameters)
            if (p.Grad is { } g) sum += ScaledSumOfSquares(g.Span, scale);
        return scale * Math.Sqrt(sum);
    }

    // Σ(x/scale)²: vectorized directly when squares cannot overflow or underflow, scaled element-wise otherwise.
    private static double ScaledSumOfSquares(ReadOnlySpan<double> x, double scale)
    {
        if (scale > 1e-140 && scale < 1e140) return TensorPrimitives.SumOfSquares(x) / (scale * scale);
        double sum = 0;
        foreach (var v in x) { double r = v / scale; sum += r * r; }
        return sum;
    }

    /// <summary>
    /// Scales every gradient by min(1, maxNorm / (‖g‖ + 1e−6)) so the global norm is at most
    /// <paramref name="maxNorm"/>, in place. Returns the norm before clipping (NaN or ∞ are returned as they are,
    /// the gradients then left untouched, so the caller can detect a diverged step).
    /// </summary>
    public static double ClipByGlobalNorm(IEnumerable<KeyValuePair<string, Tensor>> parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "max norm must be positive");
        var list = parameters as IReadOnlyCollection<KeyValuePair<string, Tensor>> ?? parameters.ToList();
        double norm = GlobalNorm(list);
        if (!double.IsFinite(norm)) return norm;
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1)
            foreach (var (_, p) in list)
                if (p.Grad is { } g) TensorPrimitives.Multiply(g.Span, factor, g.Span);
        return norm;
    }
}
