using Vinfer.Autodiff;
using Vinfer.Modeling.Handlers;
using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

/// <summary>
/// Gradient checks of a whole module in its input and every parameter: the parameters are substituted (through the
/// effect handlers, as the module reads them) by the tensors the finite-difference harness perturbs.
/// </summary>
internal static class ModuleGradient
{
    public static GradientCheck.Result Check(Module module, Tensor input, Func<Tensor, Tensor>? forward = null, double tolerance = 1e-6)
    {
        var parameters = module.AllParameters().ToArray();
        var inputs = new Tensor[parameters.Length + 1];
        inputs[0] = input;
        for (int i = 0; i < parameters.Length; i++) inputs[i + 1] = parameters[i].InitialValue();
        var run = forward ?? module.Forward;
        return GradientCheck.Check(xs =>
        {
            var values = new Dictionary<string, Tensor>();
            for (int i = 0; i < parameters.Length; i++) values[parameters[i].Name] = xs[i + 1];
            using (Handle.Substitute(values)) return run(xs[0]);
        }, inputs, tolerance: tolerance);
    }

    /// <summary>Uniform values in [low, high) from a seeded generator.</summary>
    public static Tensor Uniform(int seed, double low, double high, params int[] shape)
    {
        var rng = new System.Random(seed);
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = low + (high - low) * rng.NextDouble();
        return t;
    }
}
