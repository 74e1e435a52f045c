using Vinfer.Optim;
using Vinfer.Tensors;
using static Vinfer.Tests.Optim.OptimTestKit;

namespace Vinfer.Tests.Optim;

public class ScheduleClippingAveragingTests
{
    [Fact]
    public void ScheduleValues()
    {
        var step = LearningRateSchedule.Step(1.0, 3, 0.5);
        Assert.Equal([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Enumerable.Range(0, 7).Select(t => step.Rate(t)));

        var exp = LearningRateSchedule.Exponential(2.0, 0.9);
        Assert.Equal(2.0 * 0.9 * 0.9 * 0.9, exp.Rate(3), 1e-15);

        var cos = LearningRateSchedule.Cosine(1.0, 10, 0.1);
        Assert.Equal(1.0, cos.Rate(0), 1e-15);
        Assert.Equal(0.55, cos.Rate(5), 1e-15);
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.3)), cos.Rate(3), 1e-15);
        Assert.Equal(0.1, cos.Rate(10), 1e-15);
        Assert.Equal(0.1, cos.Rate(50), 1e-15);

        var inv = LearningRateSchedule.InverseTime(1.0, 0.5);
        Assert.Equal(1.0 / 3.0, inv.Rate(4), 1e-15);
        var invSqrt = LearningRateSchedule.InverseTime(1.0, 1.0, 0.5);
        Assert.Equal(0.5, invSqrt.Rate(3), 1e-15);

        var warm = LearningRateSchedule.Warmup(4, LearningRateSchedule.Exponential(1.0, 0.5));
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.0, 0.5, 0.25], Enumerable.Range(0, 7).Select(t => warm.Rate(t)));

        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(1.0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Exponential(double.NaN, 0.5));
    }

    [Fact]
    public void GlobalNormClipping()
    {
        var a = Tensor.Parameter([0.0, 0.0], 2);
        var b = Tensor.Parameter([0.0], 1);
        var c = Tensor.Parameter([0.0], 1); // no gradient: ignored
        a.Grad = Tensor.FromArray([3.0, 4.0], 2);
        b.Grad = Tensor.FromArray([12.0], 1);
        var ps = new[] { Named("a", a), Named("b", b), Named("c", c) };
        Assert.Equal(13.0, GradientClipping.GlobalNorm(ps), 1e-14);

        double before = GradientClipping.ClipByGlobalNorm(ps, 1.0);
        Assert.Equal(13.0, before, 1e-14);
        double f = 1.0 / (13.0 + 1e-6);
        Assert.Equal(3 * f, a.Grad.Span[0], 1e-15);
        Assert.Equal(4 * f, a.Grad.Span[1], 1e-15);
        Assert.Equal(12 * f, b.Grad.Span[0], 1e-15);
        Assert.Equal(13.0 / (13.0 + 1e-6), GradientClipping.GlobalNorm(ps), 1e-14);

        // below the bound: untouched
        GradientClipping.ClipByGlobalNorm(ps, 5.0);
        Assert.Equal(12 * f, b.Grad.Span[0], 1e-15);

        // huge values do not overflow the norm
        a.Grad = Tensor.FromArray([3e200, 4e200], 2);
        b.Grad = Tensor.FromArray([0.0], 1);
        Assert.Equal(5e200, GradientClipping.GlobalNorm(ps), 1e188);

        // NaN is reported and left alone
        b.Grad = Tensor.FromArray([double.NaN], 1);
        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm(ps, 1.0)));
        Assert.Equal(3e200, a.Grad.Span[0]);
    }

    [Fact]
    public void IterateAveraging()
    {
        var avg = new IterateAverage();
        var p = Tensor.Parameter([0.0, 10.0], 2);
        var ps = new[] { Named("p", p) };
        double[][] iterates = [[1, 2], [3, 4], [5, 9], [-1, 0]];
        foreach (var x in iterates) { x.CopyTo(p.Span); avg.Update(ps); }
        Assert.Equal(4, avg.Count("p"));
        Assert.Equal(2.0, avg.Average("p")[0], 1e-15);
        Assert.Equal(3.75, avg.Average("p")[1], 1e-15);
        avg.CopyTo(ps);
        Assert.Equal([2.0, 3.75], p.ToArray());

        var ema = new IterateAverage(decay: 0.5);
        foreach (var x in iterates) { x.CopyTo(p.Span); ema.Update(ps); }
        // m1 = 1, m2 = 0.5·1 + 0.5·3 = 2, m3 = 3.5, m4 = 1.25
        Assert.Equal(1.25, ema.Average("p")[0], 1e-15);
    }

    /// <summary>Averaging the iterates of constant-step SGD on a noisy quadratic lands much closer to the optimum than the last iterate.</summary>
    [Fact]
    public void AveragingReducesNoiseOfConstantStepSgd()
    {
        var rng = new System.Random(7);
        var opt = new Sgd(0.1);
        var avg = new IterateAverage();
        var p = Tensor.Parameter([3.0], 1);
        var ps = new[] { Named("p", p) };
        double lastSq = 0, avgSq = 0;
        for (int t = 0; t < 4000; t++)
        {
            double noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            p.Grad = Tensor.FromArray([p.Span[0] + noise], 1);
            opt.Step(ps);
            if (t >= 1000) avg.Update(ps);
            if (t >= 3000) lastSq += p.Span[0] * p.Span[0];
        }
        avgSq = avg.Average("p")[0] * avg.Average("p")[0];
        // The iterate is AR(1): p ← (1 − lr) p − lr·ε, stationary variance lr/(2 − lr) = 0.0526. Its mean square over 1000
        // iterates with lag-one correlation ρ = 0.9 has standard error σ²√(2(1 + ρ²)/(n(1 − ρ²))) ≈ 0.0073; allow 5 of them.
        // The average of 3000 correlated iterates has sd ≈ 0.02.
        double stationary = 0.1 / (2 - 0.1), rho2 = 0.81;
        double se = stationary * Math.Sqrt(2 * (1 + rho2) / (1000 * (1 - rho2)));
        Assert.True(Math.Abs(lastSq / 1000 - stationary) <= 5 * se, $"mean square of the last iterates {lastSq / 1000:G4}, stationary {stationary:G4} (se {se:G2})");
        Assert.True(Math.Abs(avg.Average("p")[0]) < 0.1, $"average {avg.Average("p")[0]}");
        Assert.True(avgSq < lastSq / 1000 / 4);
    }

    [Fact]
    public void AdviAdaptationPicksLikeStan()
    {
        var adaptation = new AdviStepSizeAdaptation();
        var calls = new List<double>();
        // ELBO improves as η falls to 1 and worsens at 0.1: Stan stops there and keeps η = 1
        var elbos = new Dictionary<double, double> { [100] = double.NaN, [10] = -50, [1] = -20, [0.1] = -30, [0.01] = -40 };
        var result = adaptation.Run(-100, eta => { calls.Add(eta); return elbos[eta]; });
        Assert.Equal(1.0, result.Eta);
        Assert.Equal(-20, result.Elbo);
        Assert.Equal([100.0, 10, 1, 0.1], calls);
        Assert.Equal(double.NegativeInfinity, result.Tried[0].Value);

        // monotone improvement: the last η is taken when it beats the initial ELBO
        var last = adaptation.Run(-100, eta => -10 * eta);
        Assert.Equal(0.01, last.Eta);

        // divergence (exceptions) everywhere: a clear failure
        var e = Assert.Throws<InvalidOperationException>(() => adaptation.Run(-100, _ => throw new ArithmeticException()));
        Assert.Contains("step size", e.Message);
    }

    /// <summary>The adaptation used end to end: short ADVI runs on a quadratic "ELBO" −½Σcᵢ(pᵢ−i)².</summary>
    [Fact]
    public void AdviAdaptationDrivesOptimizerRuns()
    {
        double[] start = [5.0, -3.0, 7.0];
        double Elbo(double[] p) { double[] c = [1, 10, 0.1]; double s = 0; for (int i = 0; i < 3; i++) s -= 0.5 * c[i] * (p[i] - i) * (p[i] - i); return s; }
        var result = new AdviStepSizeAdaptation().Run(Elbo(start), eta =>
        {
            var trajectory = Trajectory(new AdviStepSize(eta), start, QuadraticGradient, 50);
            return Elbo(trajectory[^1]);
        });
        Assert.True(result.Elbo > Elbo(start));
        Assert.Contains(result.Eta, AdviStepSizeAdaptation.StanEtaSequence);
        // the chosen η is the best of those tried up to the stop
        Assert.Equal(result.Tried.Max(kv => kv.Value), result.Elbo);
    }
}
