using Vinfer.Distributions;
using Vinfer.Tensors;
using MN = MathNet.Numerics.Distributions;
using SF = MathNet.Numerics.SpecialFunctions;
using static Vinfer.Tests.Distributions.DistributionChecks;

namespace Vinfer.Tests.Distributions;

/// <summary>The catalogue of scalar continuous distributions under the table-driven tests.</summary>
internal static class ScalarContinuousCases
{
    private static Tensor[] P(params Tensor[] t) => t;

    /// <summary>Values spread over the real line, with tails.</summary>
    private static Tensor RealValues(int seed, Tensor[] p) => Uniform(seed, -60, 60, p[0].Shape.ToArray());

    /// <summary>Positive values over many orders of magnitude.</summary>
    private static Tensor PositiveValues(int seed, Tensor[] p) => LogUniform(seed, 1e-6, 1e4, p[0].Shape.ToArray());

    /// <summary>Every case of the table.</summary>
    internal static readonly ScalarContinuousCase[] All =
    [
        new("Normal", p => new Normal(p[0], p[1]), (s, n) => P(Uniform(s, -5, 5, n), LogUniform(s + 1, 1e-2, 1e2, n)), RealValues,
            (p, x) => MN.Normal.PDFLn(p[0], p[1], x), (p, x) => MN.Normal.CDF(p[0], p[1], x), [0.5, 2.0], 0.5, 4.0),
        new("LogNormal", p => new LogNormal(p[0], p[1]), (s, n) => P(Uniform(s, -2, 2, n), LogUniform(s + 1, 0.05, 3, n)), PositiveValues,
            (p, x) => MN.LogNormal.PDFLn(p[0], p[1], x), (p, x) => MN.LogNormal.CDF(p[0], p[1], x), [0.2, 0.5],
            Math.Exp(0.2 + 0.125), (Math.Exp(0.25) - 1) * Math.Exp(0.4 + 0.25)),
        new("HalfNormal", p => new HalfNormal(p[0]), (s, n) => P(LogUniform(s, 1e-2, 1e2, n)), PositiveValues,
            (p, x) => Math.Log(2) + MN.Normal.PDFLn(0, p[0], x), (p, x) => 2 * MN.Normal.CDF(0, p[0], x) - 1, [1.5],
            1.5 * Math.Sqrt(2 / Math.PI), 2.25 * (1 - 2 / Math.PI)),
        new("Cauchy", p => new Cauchy(p[0], p[1]), (s, n) => P(Uniform(s, -5, 5, n), LogUniform(s + 1, 1e-2, 1e2, n)), RealValues,
            (p, x) => MN.Cauchy.PDFLn(p[0], p[1], x), (p, x) => MN.Cauchy.CDF(p[0], p[1], x), [1.0, 0.5], null, null),
        new("HalfCauchy", p => new HalfCauchy(p[0]), (s, n) => P(LogUniform(s, 1e-2, 1e2, n)), PositiveValues,
            (p, x) => Math.Log(2) + MN.Cauchy.PDFLn(0, p[0], x), (p, x) => 2 * MN.Cauchy.CDF(0, p[0], x) - 1, [2.0], null, null),
        new("StudentT", p => new StudentT(p[0], p[1], p[2]), (s, n) => P(LogUniform(s, 0.3, 300, n), Uniform(s + 1, -5, 5, n), LogUniform(s + 2, 1e-2, 1e2, n)),
            (s, p) => Uniform(s, -60, 60, p[0].Shape.ToArray()),
            (p, x) => MN.StudentT.PDFLn(p[1], p[2], p[0], x), (p, x) => MN.StudentT.CDF(p[1], p[2], p[0], x), [5.0, 1.0, 2.0], 1.0, 4.0 * 5 / 3),
        new("Laplace", p => new Laplace(p[0], p[1]), (s, n) => P(Uniform(s, -5, 5, n), LogUniform(s + 1, 1e-2, 1e2, n)), RealValues,
            (p, x) => MN.Laplace.PDFLn(p[0], p[1], x), (p, x) => MN.Laplace.CDF(p[0], p[1], x), [-1.0, 0.7], -1.0, 2 * 0.49),
        new("Logistic", p => new Logistic(p[0], p[1]), (s, n) => P(Uniform(s, -5, 5, n), LogUniform(s + 1, 1e-2, 1e2, n)), RealValues,
            (p, x) => { double z = (x - p[0]) / p[1]; return -z - Math.Log(p[1]) - 2 * Softplus(-z); },
            (p, x) => 1 / (1 + Math.Exp(-(x - p[0]) / p[1])), [2.0, 1.5], 2.0, 2.25 * Math.PI * Math.PI / 3),
        new("Exponential", p => new Exponential(p[0]), (s, n) => P(LogUniform(s, 1e-3, 1e3, n)), PositiveValues,
            (p, x) => MN.Exponential.PDFLn(p[0], x), (p, x) => MN.Exponential.CDF(p[0], x), [2.5], 0.4, 0.16),
        new("Gamma", p => new Gamma(p[0], p[1]), (s, n) => P(LogUniform(s, 1e-2, 1e2, n), LogUniform(s + 1, 1e-2, 1e2, n)), PositiveValues,
            (p, x) => MN.Gamma.PDFLn(p[0], p[1], x), (p, x) => MN.Gamma.CDF(p[0], p[1], x), [2.5, 1.5], 2.5 / 1.5, 2.5 / 2.25),
        new("InverseGamma", p => new InverseGamma(p[0], p[1]), (s, n) => P(LogUniform(s, 1e-2, 1e2, n), LogUniform(s + 1, 1e-2, 1e2, n)), PositiveValues,
            (p, x) => p[0] * Math.Log(p[1]) - SF.GammaLn(p[0]) - (p[0] + 1) * Math.Log(x) - p[1] / x, (p, x) => MN.InverseGamma.CDF(p[0], p[1], x), [5.0, 2.0], 0.5, 4.0 / (16 * 3)),
        new("Beta", p => new Beta(p[0], p[1]), (s, n) => P(LogUniform(s, 1e-2, 1e2, n), LogUniform(s + 1, 1e-2, 1e2, n)),
            (s, p) => LogUniform(s, 1e-9, 1 - 1e-9, p[0].Shape.ToArray()),
            (p, x) => MN.Beta.PDFLn(p[0], p[1], x), (p, x) => MN.Beta.CDF(p[0], p[1], x), [0.7, 2.5], 0.7 / 3.2, 0.7 * 2.5 / (3.2 * 3.2 * 4.2)),
        new("Uniform", p => new Uniform(p[0], p[0] + p[1]), (s, n) => P(Uniform(s, -5, 5, n), LogUniform(s + 1, 1e-2, 1e2, n)),
            (s, p) => { var u = Uniform(s, 0, 1, p[0].Shape.ToArray()); return p[0] + p[1] * u; },
            (p, x) => -Math.Log(p[1]), (p, x) => Math.Clamp((x - p[0]) / p[1], 0, 1), [-1.0, 3.0], 0.5, 9.0 / 12),
        new("Gumbel", p => new Gumbel(p[0], p[1]), (s, n) => P(Uniform(s, -5, 5, n), LogUniform(s + 1, 1e-2, 1e2, n)),
            (s, p) => Uniform(s, -3, 30, p[0].Shape.ToArray()),
            (p, x) => { double z = (x - p[0]) / p[1]; return -(z + Math.Exp(-z)) - Math.Log(p[1]); },
            (p, x) => Math.Exp(-Math.Exp(-(x - p[0]) / p[1])), [1.0, 2.0], 1.0 + 2.0 * 0.57721566490153286, Math.PI * Math.PI * 4 / 6),
    ];

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    /// <summary>Every case, for xunit's MemberData.</summary>
    public static TheoryData<string> Names()
    {
        var d = new TheoryData<string>();
        foreach (var c in All) d.Add(c.Name);
        return d;
    }

    /// <summary>The case of that name.</summary>
    public static ScalarContinuousCase Get(string name) => All.Single(c => c.Name == name);

    internal static double LogBeta(double a, double b) => SF.BetaLn(a, b);
}
