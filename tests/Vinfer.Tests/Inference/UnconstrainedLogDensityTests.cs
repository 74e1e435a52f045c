using Vinfer.Distributions;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

using Vinfer.Inference;

namespace Vinfer.Tests.Inference;

public class UnconstrainedLogDensityTests
{
    private static double NormalLogPdf(double x, double m, double s) => -0.5 * ((x - m) / s) * ((x - m) / s) - Math.Log(s) - 0.5 * Math.Log(2 * Math.PI);

    [Fact]
    public void LogJointIncludesTheJacobianOfEachBijector()
    {
        // p ∈ (0, 1) through the sigmoid, s > 0 through exp, m on the real line.
        var x = Tensor.FromArray([0.3, -1.2, 2.0]);
        void Model()
        {
            var m = Sample("m", new Normal(0.0, 3.0));
            var s = Sample("s", new Delta(Tensor.Scalar(1.0), Tensor.Scalar(0.0), 0, Constraints.Positive).Expand());
            using (Plate("data", 3)) Sample("x", new Normal(m, Tensor.Scalar(2.0)), x);
        }
        var density = new UnconstrainedLogDensity(Model);
        Assert.Equal(["m", "s"], density.Prototype.Latents.Select(l => l.Name));
        double um = 0.7, us = 0.0; // s = exp(0) = 1: the Delta's own value, so its log-density is 0
        var lp = density.Evaluate(new Dictionary<string, Tensor> { ["m"] = Tensor.Scalar(um), ["s"] = Tensor.Scalar(us) }).Item();
        double expected = NormalLogPdf(um, 0, 3) + x.ToArray().Sum(v => NormalLogPdf(v, um, 2)) + us; // log|d exp(u)/du| = u
        Assert.Equal(expected, lp, 12);
    }

    [Fact]
    public void GradientMatchesFiniteDifferences()
    {
        var x = Tensor.FromArray([0.3, -1.2, 2.0]);
        void Model()
        {
            var m = Sample("m", new Normal(0.0, 3.0));
            using (Plate("data", 3)) Sample("x", new Normal(m, Tensor.Scalar(2.0)), x);
        }
        var density = new UnconstrainedLogDensity(Model);
        double F(double u) => density.Evaluate(new Dictionary<string, Tensor> { ["m"] = Tensor.Scalar(u) }).Item();
        var u0 = Tensor.Parameter([0.4], []);
        density.Evaluate(new Dictionary<string, Tensor> { ["m"] = u0 }).Backward();
        double h = 1e-5;
        Assert.Equal((F(0.4 + h) - F(0.4 - h)) / (2 * h), u0.Grad!.Item(), 6);
    }
}
