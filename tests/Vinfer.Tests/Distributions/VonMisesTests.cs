using Vinfer.Autodiff;
using Vinfer.Distributions;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;
using Vinfer.Tests.Random;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// <see cref="VonMises"/> and <see cref="ModifiedBessel"/>: Bessel values against MathNet and the asymptotic form,
/// normalization and moments by quadrature, gradients by finite differences, natural parameters, and the
/// Best–Fisher sampler against the quadrature CDF by a Kolmogorov–Smirnov test with fixed seeds.
/// </summary>
public class VonMisesTests
{
    /// <summary>∫_{−π}^{π} g(θ) dθ by composite Simpson on 2·10⁴ intervals (error far below 1e-10 for these smooth periodic integrands).</summary>
    private static double Integrate(Func<double, double> g, int intervals = 20_000)
    {
        double h = 2 * Math.PI / intervals, sum = g(-Math.PI) + g(Math.PI);
        for (int i = 1; i < intervals; i++) sum += (i % 2 == 1 ? 4 : 2) * g(-Math.PI + i * h);
        return sum * h / 3;
    }

    private static double Density(VonMises d, double theta) => Math.Exp(d.LogProb(Tensor.Scalar(theta)).Span[0]);

    [Fact]
    public void BesselFunctionsMatchMathNetAndTheAsymptoticForm()
    {
        foreach (double x in new[] { 0, 1e-8, 0.1, 1, 3.7, 10, 24.99, 25.01, 40, 150, 600 })
        {
            double i0 = MathNet.Numerics.SpecialFunctions.BesselI0(x), i1 = MathNet.Numerics.SpecialFunctions.BesselI1(x);
            Assert.True(Math.Abs(ModifiedBessel.LogI0(x) - Math.Log(i0)) <= 1e-12 * Math.Max(1, Math.Log(i0)), $"log I0({x}) = {ModifiedBessel.LogI0(x):G17} vs {Math.Log(i0):G17}");
            Assert.True(Math.Abs(ModifiedBessel.I1OverI0(x) - i1 / i0) <= 1e-12, $"I1/I0({x}) = {ModifiedBessel.I1OverI0(x):G17} vs {i1 / i0:G17}");
            Assert.True(Math.Abs(ModifiedBessel.I0Scaled(x) - i0 * Math.Exp(-x)) <= 1e-13, $"I0e({x})");
            Assert.True(Math.Abs(ModifiedBessel.I1Scaled(-x) + i1 * Math.Exp(-x)) <= 1e-13, $"I1e(−{x}) is odd");
            Assert.Equal(ModifiedBessel.LogI0(x), ModifiedBessel.LogI0(-x));
        }
        // Far beyond overflow of I₀ itself: log I₀(x) = x − ½ log(2πx) + log(1 + 1/(8x) + 9/(128x²) + …).
        foreach (double x in new[] { 1e3, 1e5, 1e9 })
        {
            double expected = x - 0.5 * Math.Log(2 * Math.PI * x) + Math.Log(1 + 1 / (8 * x) + 9 / (128 * x * x));
            Assert.True(Math.Abs(ModifiedBessel.LogI0(x) - expected) <= 1e-12 * x, $"log I0({x})");
            Assert.True(Math.Abs(ModifiedBessel.I1OverI0(x) - (1 - 1 / (2 * x) - 1 / (8 * x * x))) <= 1 / (x * x * x), $"I1/I0({x})");
        }
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.01)]
    [InlineData(-2.0, 1.0)]
    [InlineData(3.0, 10.0)]
    [InlineData(0.5, 500.0)]
    public void DensityIntegratesToOneAndMomentsMatchTheClosedForms(double loc, double concentration)
    {
        var d = new VonMises(loc, concentration);
        Assert.Equal(1.0, Integrate(t => Density(d, t)), 9);
        // E[cos(θ − μ)] = I₁(κ)/I₀(κ) = 1 − circular variance; E[sin(θ − μ)] = 0.
        Assert.Equal(1 - d.Variance.Span[0], Integrate(t => Math.Cos(t - loc) * Density(d, t)), 9);
        Assert.Equal(0.0, Integrate(t => Math.Sin(t - loc) * Density(d, t)), 9);
        Assert.Equal(-Integrate(t => { double p = Density(d, t); return p > 0 ? p * Math.Log(p) : 0; }), d.Entropy().Span[0], 8);
        // Periodic: the density at θ and θ + 2π agree, so angles in [0, 2π) need no wrapping.
        Assert.Equal(Density(d, 0.3), Density(d, 0.3 + 2 * Math.PI), 12);
    }

    [Fact]
    public void NaturalParametersGiveTheSameDistribution()
    {
        var byMoments = new VonMises(2.5, 3.0);
        var byNatural = VonMises.FromNaturalParameters(Tensor.Scalar(3 * Math.Cos(2.5)), Tensor.Scalar(3 * Math.Sin(2.5)));
        Assert.Equal(2.5, byNatural.Loc.Span[0], 12);
        Assert.Equal(3.0, byNatural.Concentration.Span[0], 12);
        Assert.Equal(byMoments.NaturalCos.Span[0], byNatural.NaturalCos.Span[0], 12);
        foreach (double t in new[] { -3.0, -1, 0, 1.5, 3, 5 })
            Assert.Equal(byMoments.LogProb(Tensor.Scalar(t)).Span[0], byNatural.LogProb(Tensor.Scalar(t)).Span[0], 12);
    }

    [Fact]
    public void LogProbGradientInParametersAndValue()
    {
        var value = Tensor.FromArray([-2.0, 0.3, 1.7, 5.9], 4);
        var r = GradientCheck.Check(t => new VonMises(t[0], t[1]).LogProb(t[2]),
            [Tensor.FromArray([0.4, -1.0, 2.0, 3.0], 4), Tensor.FromArray([0.05, 1.3, 30.0, 400.0], 4), value]);
        Assert.True(r.Passed, r.ToString());
        var natural = GradientCheck.Check(t => VonMises.FromNaturalParameters(t[0], t[1]).LogProb(t[2]),
            [Tensor.FromArray([0.01, -1.0, 20.0, 100.0], 4), Tensor.FromArray([1e-4, 0.7, -30.0, 50.0], 4), value]);
        Assert.True(natural.Passed, natural.ToString());
        var entropy = GradientCheck.Check(t => new VonMises(Tensor.Scalar(0.2), t[0]).Entropy(), [Tensor.FromArray([0.01, 0.5, 7.0, 60.0], 4)]);
        Assert.True(entropy.Passed, entropy.ToString());
    }

    [Theory]
    [InlineData(1.0, 0.5, 11UL)]
    [InlineData(-2.0, 4.0, 12UL)]
    [InlineData(3.0, 50.0, 13UL)]
    [InlineData(0.0, 1e-7, 14UL)]
    public void SamplerMatchesTheCdfByKolmogorovSmirnov(double loc, double concentration, ulong seed)
    {
        var d = new VonMises(loc, concentration);
        var draws = d.Sample(new RandomStream(seed), 20_000).Span.ToArray();
        Assert.All(draws, x => Assert.InRange(x, -Math.PI, Math.PI));
        // The CDF on [−π, π) by the trapezoid rule on a fine grid, interpolated linearly.
        const int grid = 200_000;
        var cdf = new double[grid + 1];
        double h = 2 * Math.PI / grid, previous = Density(d, -Math.PI);
        for (int i = 1; i <= grid; i++)
        {
            double current = Density(d, -Math.PI + i * h);
            cdf[i] = cdf[i - 1] + 0.5 * h * (previous + current);
            previous = current;
        }
        Assert.Equal(1.0, cdf[grid], 6);
        double Cdf(double x)
        {
            double position = (x + Math.PI) / h;
            int i = Math.Clamp((int)position, 0, grid - 1);
            return cdf[i] + (position - i) * (cdf[i + 1] - cdf[i]);
        }
        SampleStatistics.AssertKolmogorovSmirnov(draws, Cdf, $"von Mises({loc}, {concentration})");
        // The mean resultant vector: E[cos(θ − μ)] = I₁/I₀ within 5 standard errors (Var cos ≤ 1/2 + …, bounded by 1).
        double meanCos = draws.Average(x => Math.Cos(x - loc)), varCos = draws.Average(x => Math.Pow(Math.Cos(x - loc) - meanCos, 2));
        Assert.True(Math.Abs(meanCos - ModifiedBessel.I1OverI0(concentration)) < 5 * Math.Sqrt(varCos / draws.Length) + 1e-12, $"mean cos {meanCos}");
    }

    [Fact]
    public void SamplerIsDeterministicGivenTheSeed()
    {
        var d = new VonMises(Tensor.FromArray([0.0, 1.0, 2.0], 3), Tensor.FromArray([0.3, 3.0, 30.0], 3));
        Assert.Equal(d.Sample(new RandomStream(5), 7).Span.ToArray(), d.Sample(new RandomStream(5), 7).Span.ToArray());
        Assert.Equal([7, 3], d.Sample(new RandomStream(5), 7).ShapeArray);
    }

    [Fact]
    public void NegativeConcentrationIsRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => new VonMises(0.0, -1.0, validateArgs: true));
        Assert.Contains("concentration", e.Message);
        Assert.Contains("-1", e.Message);
    }
}
