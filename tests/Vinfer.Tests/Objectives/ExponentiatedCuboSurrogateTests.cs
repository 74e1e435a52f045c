using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Objectives;

/// <summary>
/// CUBO's gradient through Dieng et al.'s exp(2·(CUBO − c)) surrogate (<see cref="ExponentiatedCuboSurrogate"/>): with
/// the shift c pinned, the reparameterized gradient is the finite-difference gradient of (1/2)·mean exp(2(log w − c))
/// with fixed noise, its expectation is exp(2(CUBO − c))·∇CUBO of the closed form (linear-Gaussian model), the loss's
/// value is still the bound's estimate, and the shift is saved and restored with the objective's state.
/// </summary>
public class ExponentiatedCuboSurrogateTests
{
    private static readonly LinearGaussianModel Model = new(dimension: 2, observedDimension: 3, points: 2, noise: 0.8, seed: 11);

    private static Action DiagonalGuide(Tensor loc, Tensor scale) => () =>
    {
        using (Plate(LinearGaussianModel.PlateName, Model.N)) Sample("z", new Normal(loc, scale).ToEvent(1));
    };

    private static ChiSquareUpperBound Pinned(int k, int s, double shift)
    {
        var cubo = new ChiSquareUpperBound(k, s);
        cubo.LoadState(new JsonObject { ["cubo_shift"] = shift });
        return cubo;
    }

    [Fact]
    public void GradientIsTheFiniteDifferenceGradientOfTheExponentiatedEstimate()
    {
        var loc = Tensor.FromArray([0.4, -0.2, 1.1, 0.3], Model.N, Model.D);
        var scale = Tensor.FromArray([0.9, 0.7, 0.8, 1.0], Model.N, Model.D);
        // One estimate of K = 15: then (1/2)·mean exp(2(log w − c)) = exp(2(Ĉ − c))/2 with Ĉ the loss's value. The shift is
        // away from the estimate, so the factor exp(2(Ĉ − c)) is not 1.
        const double shift = -9.0;
        double Value(Tensor l, Tensor sc)
        {
            using var _ = new ParamStore().Use();
            using var __ = GradMode.Disable();
            var v = Pinned(15, 1, shift).Evaluate(Model.Model, DiagonalGuide(l, sc), 1, new RandomStream(21));
            Assert.Equal(v.Estimate, v.Loss.Item(), 12); // the loss's value is the bound's estimate
            return Math.Exp(2 * (v.Estimate - shift)) / 2;
        }
        var xs = new[] { Tensor.Parameter(loc.Span, loc.ShapeArray), Tensor.Parameter(scale.Span, scale.ShapeArray) };
        double estimate;
        using (new ParamStore().Use())
        {
            var value = Pinned(15, 1, shift).Evaluate(Model.Model, DiagonalGuide(xs[0], xs[1]), 1, new RandomStream(21));
            value.Loss.Backward();
            estimate = value.Estimate;
        }
        Assert.True(Math.Abs(2 * (estimate - shift)) > 0.5, $"estimate {estimate}: the shift does not test the scale factor");
        for (int i = 0; i < 2; i++)
            for (int e = 0; e < xs[i].Count; e++)
            {
                var plus = xs[i].Detach().Span.ToArray();
                var minus = (double[])plus.Clone();
                const double h = 1e-6;
                plus[e] += h;
                minus[e] -= h;
                var shape = xs[i].ShapeArray;
                double numeric = i == 0
                    ? (Value(Tensor.FromArray(plus, shape), scale) - Value(Tensor.FromArray(minus, shape), scale)) / (2 * h)
                    : (Value(loc, Tensor.FromArray(plus, shape)) - Value(loc, Tensor.FromArray(minus, shape))) / (2 * h);
                double analytic = xs[i].Grad!.Span[e];
                Assert.True(Math.Abs(analytic - numeric) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"input {i}[{e}]: autodiff {analytic}, finite differences {numeric}");
            }
    }

    /// <summary>
    /// Unbiased: with c = the exact CUBO, E[gradient] = ∇CUBO (closed form, central differences in q_loc), within 5
    /// standard errors over 2000 independent K = 4 estimates. The log-mean-exp's gradient, at this K, is not (its mean is
    /// shrunk towards zero: each batch divided by its own estimate of E[w²]); the test asserts that it is more than 5
    /// standard errors off on some coordinate, so the first comparison is not vacuous.
    /// </summary>
    [Fact]
    public void ExpectedGradientIsTheExactCuboGradient()
    {
        var (loc, tril) = Model.PerturbedGuideParameters(shift: 0.3, widen: 1.25);
        double exact = Model.RenyiBound(-1, loc, tril);
        var exactGradient = new double[Model.N * Model.D];
        for (int i = 0; i < Model.N; i++)
            for (int a = 0; a < Model.D; a++)
            {
                const double h = 1e-5;
                var up = (double[,])loc.Clone();
                var down = (double[,])loc.Clone();
                up[i, a] += h;
                down[i, a] -= h;
                exactGradient[i * Model.D + a] = (Model.RenyiBound(-1, up, tril) - Model.RenyiBound(-1, down, tril)) / (2 * h);
            }
        const int repeats = 2000;
        double[][] Gradients(Func<ChiSquareUpperBound> make, ulong seed)
        {
            var result = new double[repeats][];
            for (int r = 0; r < repeats; r++)
            {
                var store = new ParamStore();
                using var _ = store.Use();
                make().Evaluate(Model.Model, Model.Guide(loc, tril), 1, new RandomStream(seed + (ulong)r)).Loss.Backward();
                result[r] = store.GetUnconstrained("q_loc").Grad!.ToArray();
            }
            return result;
        }
        static (double Mean, double Se) Column(double[][] g, int j)
        {
            double m = g.Average(x => x[j]);
            double v = g.Sum(x => (x[j] - m) * (x[j] - m)) / (g.Length - 1);
            return (m, Math.Sqrt(v / g.Length));
        }
        var exponentiated = Gradients(() => Pinned(4, 1, exact), 70_000);
        var logMeanExp = Gradients(() => new ChiSquareUpperBound(4, 1, exponentiatedSurrogate: false), 80_000);
        double worstLogMeanExp = 0;
        for (int j = 0; j < exactGradient.Length; j++)
        {
            var (m, se) = Column(exponentiated, j);
            Assert.True(Math.Abs(m - exactGradient[j]) <= 5 * se, $"q_loc[{j}]: mean gradient {m} ± {se}, exact ∇CUBO {exactGradient[j]}");
            Assert.True(se < 0.2 * Math.Abs(exactGradient[j]), $"q_loc[{j}]: standard error {se} too large against ∇CUBO {exactGradient[j]}");
            var (ml, sel) = Column(logMeanExp, j);
            worstLogMeanExp = Math.Max(worstLogMeanExp, Math.Abs(ml - exactGradient[j]) / sel);
        }
        Assert.True(worstLogMeanExp > 5, $"the log-mean-exp gradient is within {worstLogMeanExp:F1} se of ∇CUBO on every coordinate: the test cannot tell the estimators apart");
    }

    [Fact]
    public void TheShiftIsTheLastEstimateAndRoundTripsThroughTheState()
    {
        var (loc, tril) = Model.PerturbedGuideParameters(shift: 0.3, widen: 1.25);
        var cubo = new ChiSquareUpperBound(8, 2);
        Assert.True(cubo.UsesExponentiatedSurrogate);
        Assert.Null(cubo.SaveState());
        ObjectiveValue first;
        using (new ParamStore().Use()) first = cubo.Evaluate(Model.Model, Model.Guide(loc, tril), 1, new RandomStream(5));
        var state = cubo.SaveState()!;
        Assert.Equal(first.Estimate, (double)state["cubo_shift"]!);
        // the same draws from a restored copy and from the original give the same gradient, bit for bit
        var copy = new ChiSquareUpperBound(8, 2);
        copy.LoadState(JsonNode.Parse(state.ToJsonString()));
        double[] Gradient(ChiSquareUpperBound objective)
        {
            var store = new ParamStore();
            using var _ = store.Use();
            objective.Evaluate(Model.Model, Model.Guide(loc, tril), 1, new RandomStream(6)).Loss.Backward();
            return store.GetUnconstrained("q_loc").Grad!.ToArray();
        }
        Assert.Equal(Gradient(cubo), Gradient(copy));
        Assert.Throws<FormatException>(() => new IwaeBound(4).LoadState(new JsonObject { ["cubo_shift"] = 1.0 }));
    }
}
