using Vinfer.Optim;
using Vinfer.Tensors;

namespace Vinfer.Tests.Optim;

/// <summary>Drives optimizers with hand-written gradients (the objectives here have closed-form gradients).</summary>
internal static class OptimTestKit
{
    public static KeyValuePair<string, Tensor> Named(string name, Tensor t) => new(name, t);

    /// <summary>Sets p.Grad from a gradient function of p's values.</summary>
    public static void SetGradient(Tensor p, Func<double[], double[]> gradient)
    {
        var g = gradient(p.ToArray());
        p.Grad = Tensor.FromArray(g, p.Shape.ToArray());
    }

    /// <summary>Runs <paramref name="steps"/> steps on one parameter and returns its value after each.</summary>
    public static List<double[]> Trajectory(Optimizer opt, double[] start, Func<double[], double[]> gradient, int steps)
    {
        var p = Tensor.Parameter(start, start.Length);
        var parameters = new[] { Named("p", p) };
        var result = new List<double[]>();
        for (int t = 0; t < steps; t++)
        {
            SetGradient(p, gradient);
            opt.Step(parameters);
            result.Add(p.ToArray());
        }
        return result;
    }

    /// <summary>∇ of Σ aᵢpᵢ² + sin(3pᵢ) with a = (1, 2, 0.5), the objective of torch_reference.py.</summary>
    public static double[] TorchObjectiveGradient(double[] p)
    {
        double[] a = [1.0, 2.0, 0.5];
        var g = new double[p.Length];
        for (int i = 0; i < p.Length; i++) g[i] = 2 * a[i] * p[i] + 3 * Math.Cos(3 * p[i]);
        return g;
    }

    /// <summary>∇ of the Rosenbrock function (1−x)² + 100(y−x²)².</summary>
    public static double[] RosenbrockGradient(double[] p)
    {
        double x = p[0], y = p[1];
        return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
    }

    /// <summary>∇ of the ill-conditioned quadratic ½ Σ cᵢ (pᵢ − i)², c = (1, 10, 0.1).</summary>
    public static double[] QuadraticGradient(double[] p)
    {
        double[] c = [1, 10, 0.1];
        var g = new double[p.Length];
        for (int i = 0; i < p.Length; i++) g[i] = c[i] * (p[i] - i);
        return g;
    }
}
