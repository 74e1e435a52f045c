using Vinfer.Tensors;

namespace Vinfer.Autodiff;

/// <summary>
/// Checks reverse-mode gradients against central finite differences, in the manner of Stan Math's test framework:
/// the function's output (any shape) is contracted with fixed random weights w, and ∂(w·f)/∂x from Backward is
/// compared with [w·f(x + h eᵢ) − w·f(x − h eᵢ)] / 2h for every element of every input. Contracting with random
/// weights checks the whole vector-Jacobian product, not just the gradient of a sum.
/// </summary>
public static class GradientCheck
{
    /// <summary>The outcome: the worst discrepancy and where it was.</summary>
    public sealed record Result(bool Passed, double MaxError, int InputIndex, int ElementIndex, double Analytic, double Numeric)
    {
        /// <inheritdoc />
        public override string ToString() => Passed
            ? $"gradient check passed (max scaled error {MaxError:G3})"
            : $"gradient check failed at input {InputIndex}, element {ElementIndex}: analytic {Analytic:G10}, numeric {Numeric:G10} (scaled error {MaxError:G3})";
    }

    /// <summary>
    /// Compares gradients of <paramref name="f"/> at <paramref name="inputs"/> (each gets RequiresGrad on a copy).
    /// An element passes when |analytic − numeric| ≤ <paramref name="tolerance"/> · max(1, |numeric|).
    /// </summary>
    public static Result Check(Func<Tensor[], Tensor> f, Tensor[] inputs, double step = 1e-6, double tolerance = 1e-6, int seed = 12345)
    {
        var xs = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) xs[i] = Tensor.Parameter(inputs[i].Span, inputs[i].ShapeArray);

        Tensor probe;
        using (GradMode.Disable()) probe = f(xs);
        var rng = new System.Random(seed);
        var w = new double[probe.Count];
        for (int i = 0; i < w.Length; i++) w[i] = rng.NextDouble() * 2 - 1;

        double Contract(Tensor y)
        {
            var s = y.Span;
            double acc = 0;
            for (int i = 0; i < s.Length; i++) acc += w[i] * s[i];
            return acc;
        }

        var y = f(xs);
        if (y.Count != w.Length) throw new InvalidOperationException("GradientCheck: the function's output size changed between calls.");
        var wt = Tensor.FromArray(w, y.ShapeArray);
        (y * wt).Sum().Backward();

        double worst = 0; int wi = -1, we = -1; double wa = 0, wn = 0;
        using (GradMode.Disable())
        {
            for (int i = 0; i < xs.Length; i++)
            {
                var x = xs[i].Span;
                var grad = xs[i].Grad;
                for (int e = 0; e < x.Length; e++)
                {
                    double saved = x[e];
                    double h = step * Math.Max(1.0, Math.Abs(saved));
                    x[e] = saved + h; double up = Contract(f(xs));
                    x[e] = saved - h; double down = Contract(f(xs));
                    x[e] = saved;
                    double numeric = (up - down) / (2 * h);
                    double analytic = grad is null ? 0.0 : grad.Span[e];
                    double err = Math.Abs(analytic - numeric) / Math.Max(1.0, Math.Abs(numeric));
                    if (double.IsNaN(err)) err = double.PositiveInfinity;
                    if (err > worst || wi < 0) { worst = err; wi = i; we = e; wa = analytic; wn = numeric; }
                }
            }
        }
        return new Result(worst <= tolerance, worst, wi, we, wa, wn);
    }
}
