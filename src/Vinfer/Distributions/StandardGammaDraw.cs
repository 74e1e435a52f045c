using Vinfer.Tensors;
using Vinfer.Random;

namespace Vinfer.Distributions;

/// <summary>
/// Gamma(α, 1) draws as a differentiable op of α: the value from the Marsaglia–Tsang sampler, the gradient by
/// implicit reparameterization (<see cref="ImplicitGammaGradient"/>). The building block of the Gamma, Beta,
/// Dirichlet, InverseGamma and StudentT reparameterized samplers.
/// </summary>
internal static class StandardGammaDraw
{
    /// <summary>One draw per element of <paramref name="concentration"/> (its shape is the output's).</summary>
    public static Tensor Draw(Tensor concentration, RandomKey key)
    {
        var z = Tensor.Uninitialized(concentration.ShapeArray);
        Vinfer.Random.Sample.Gamma(key, concentration.Span, z.Span);
        return Autograd.ShouldRecord(concentration) ? Autograd.Record(z, new ImplicitBackward(concentration)) : z;
    }

    private sealed class ImplicitBackward(Tensor alpha) : GradNode(alpha)
    {
        public override string Name => "StandardGammaImplicit";

        public override void Backward(Tensor output, Tensor g)
        {
            var d = Tensor.Uninitialized(g.ShapeArray);
            var a = Inputs[0].Span; var z = output.Span; var gs = g.Span; var ds = d.Span;
            for (int i = 0; i < ds.Length; i++) ds[i] = gs[i] == 0 ? 0 : gs[i] * ImplicitGammaGradient.DrawDerivative(z[i], a[i]);
            Autograd.AccumulateOwned(Inputs[0], d);
        }
    }
}
