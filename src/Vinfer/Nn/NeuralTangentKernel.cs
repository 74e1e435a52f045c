using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// The empirical neural tangent kernel K(x, x′) = J(x; φ) J(x′; φ)ᵀ of a network (Jacot, Gabriel and Hongler, NeurIPS
/// 2018) and the drift measures McNamara, Loper and Regier ("Globally Convergent Variational Inference", NeurIPS 2024)
/// use to show a wide network staying in its kernel regime: ‖J_t − J₀‖_F / ‖J₀‖_F and ‖K_t − K₀‖_F / ‖K₀‖_F on a fixed
/// set of probe inputs.
/// </summary>
public static class NeuralTangentKernel
{
    /// <summary>K = J Jᵀ for a Jacobian J [rows, parameters].</summary>
    public static Tensor FromJacobian(Tensor jacobian)
    {
        ArgumentNullException.ThrowIfNull(jacobian);
        if (jacobian.Rank != 2) throw new ArgumentException($"NeuralTangentKernel.FromJacobian: the Jacobian has rank {jacobian.Rank}, expected 2.", nameof(jacobian));
        using (GradMode.Disable()) return jacobian.MatMul(jacobian.MT);
    }

    /// <summary>‖current − initial‖_F / ‖initial‖_F (the absolute distance when the initial value is zero).</summary>
    public static double RelativeDrift(Tensor current, Tensor initial)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(initial);
        if (current.Count != initial.Count)
            throw new ArgumentException($"NeuralTangentKernel.RelativeDrift: {current.Count} elements against {initial.Count}.", nameof(current));
        var c = current.Span; var i0 = initial.Span;
        double difference = 0, norm = 0;
        for (int i = 0; i < c.Length; i++) { difference += (c[i] - i0[i]) * (c[i] - i0[i]); norm += i0[i] * i0[i]; }
        return norm > 0 ? Math.Sqrt(difference / norm) : Math.Sqrt(difference);
    }
}
