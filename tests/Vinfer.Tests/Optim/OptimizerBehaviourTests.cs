using Vinfer.Optim;
using Vinfer.Tensors;
using static Vinfer.Tests.Optim.OptimTestKit;

namespace Vinfer.Tests.Optim;

public class OptimizerBehaviourTests
{
    /// <summary>Pyro's ClippedAdam written out in scalars: clamp, moments, lr·√(1−β₂ᵗ)/(1−β₁ᵗ), lr decayed first.</summary>
    [Fact]
    public void ClippedAdamMatchesPyroFormula()
    {
        double lr = 0.05, b1 = 0.9, b2 = 0.99, eps = 1e-8, clip = 2.0, lrd = 0.9;
        var opt = new ClippedAdam(lr, b1, b2, eps, clipNorm: clip, learningRateDecay: lrd);
        Func<double[], double[]> grad = p => TorchObjectiveGradient(p).Select(g => 3 * g).ToArray();
        double[] start = [0.5, -1.5, 2.0];
        var got = Trajectory(opt, start, grad, 4);

        var p = (double[])start.Clone();
        var m = new double[3];
        var v = new double[3];
        double rate = lr;
        for (int t = 1; t <= 4; t++)
        {
            rate *= lrd;
            var g = grad(p);
            for (int i = 0; i < 3; i++)
            {
                double gi = Math.Clamp(g[i], -clip, clip);
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double step = rate * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
                p[i] -= step * m[i] / (Math.Sqrt(v[i]) + eps);
            }
            for (int i = 0; i < 3; i++) Assert.Equal(p[i], got[t - 1][i], 1e-13);
        }
        Assert.Equal(lr * Math.Pow(lrd, 4), opt.LearningRate, 1e-15);
        // clipping is active: the raw gradients exceed the bound
        Assert.Contains(grad(start), g => Math.Abs(g) > clip);
    }

    /// <summary>Kucukelbir et al. (2017) eq. 10 with Stan's constants, written out in scalars.</summary>
    [Fact]
    public void AdviStepSizeMatchesStanSequence()
    {
        double eta = 0.5, tau = 1, alpha = 0.1;
        var opt = new AdviStepSize(eta);
        double[] start = [0.5, -1.5, 2.0];
        var got = Trajectory(opt, start, TorchObjectiveGradient, 4);
        var p = (double[])start.Clone();
        var s = new double[3];
        for (int k = 1; k <= 4; k++)
        {
            var g = TorchObjectiveGradient(p);
            for (int i = 0; i < 3; i++)
            {
                s[i] = k == 1 ? g[i] * g[i] : alpha * g[i] * g[i] + (1 - alpha) * s[i];
                p[i] -= eta / Math.Sqrt(k) / (tau + Math.Sqrt(s[i])) * g[i];
            }
            for (int i = 0; i < 3; i++) Assert.Equal(p[i], got[k - 1][i], 1e-13);
        }
    }

    public static TheoryData<string> AllOptimizers => new() { "sgd", "nesterov", "adam", "adamw", "adagrad", "rmsprop", "clippedadam", "advi" };

    private static Optimizer Create(string name, double lr) => name switch
    {
        "sgd" => new Sgd(lr),
        "nesterov" => new Sgd(lr, momentum: 0.9, nesterov: true),
        "adam" => new Adam(lr),
        "adamw" => new AdamW(lr, weightDecay: 0),
        "adagrad" => new Adagrad(lr),
        "rmsprop" => new RmsProp(lr),
        "clippedadam" => new ClippedAdam(lr),
        "advi" => new AdviStepSize(lr),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(AllOptimizers))]
    public void ConvergesOnIllConditionedQuadratic(string name)
    {
        double lr = name switch { "sgd" => 0.15, "nesterov" => 0.05, "adagrad" => 1.0, "advi" => 2.0, _ => 0.05 };
        var opt = Create(name, lr);
        // RMSprop's steps stay near ±lr around the optimum: anneal them (cosine schedule) as one would in practice
        if (name == "rmsprop") opt.Schedule = LearningRateSchedule.Cosine(lr, 4000);
        var trajectory = Trajectory(opt, [5.0, -3.0, 7.0], QuadraticGradient, 4000);
        var last = trajectory[^1];
        for (int i = 0; i < 3; i++) Assert.True(Math.Abs(last[i] - i) < 1e-3, $"{name}: p[{i}] = {last[i]}, optimum {i}");
    }

    [Theory]
    [InlineData("adam", 0.02, 6000)]
    [InlineData("nesterov", 2e-4, 20000)]
    [InlineData("rmsprop", 1e-3, 20000)]
    [InlineData("clippedadam", 0.02, 6000)]
    [InlineData("adagrad", 0.5, 20000)]
    public void ConvergesOnRosenbrock(string name, double lr, int steps)
    {
        var trajectory = Trajectory(Create(name, lr), [-1.5, 2.0], RosenbrockGradient, steps);
        var last = trajectory[^1];
        Assert.True(Math.Abs(last[0] - 1) < 1e-2 && Math.Abs(last[1] - 1) < 2e-2, $"{name}: ended at ({last[0]}, {last[1]}), optimum (1, 1)");
    }

    /// <summary>A parameter that first appears at step 3 gets fresh state: its trajectory equals a new optimizer's.</summary>
    [Fact]
    public void ParametersCanAppearAfterTheFirstStep()
    {
        var opt = new Adam(0.1);
        var a = Tensor.Parameter([1.0, 2.0], 2);
        var b = Tensor.Parameter([-1.0], 1);
        for (int t = 0; t < 2; t++)
        {
            SetGradient(a, QuadraticGradient);
            opt.Step([Named("a", a)]);
        }
        var bAlone = Trajectory(new Adam(0.1), [-1.0], QuadraticGradient, 3);
        for (int t = 0; t < 3; t++)
        {
            SetGradient(a, QuadraticGradient);
            SetGradient(b, QuadraticGradient);
            opt.Step([Named("a", a), Named("b", b)]);
            Assert.Equal(bAlone[t][0], b.Span[0]);
        }
        Assert.Equal(5, opt.StepCount);
    }

    [Fact]
    public void ParametersWithoutGradientAreSkipped()
    {
        var opt = new Sgd(0.1);
        var p = Tensor.Parameter([1.0], 1);
        opt.Step([Named("p", p)]);
        Assert.Equal(1.0, p.Span[0]);
        Assert.Empty(opt.StateNames);
    }

    [Fact]
    public void SizeChangeIsReported()
    {
        var opt = new Adam(0.1);
        var p = Tensor.Parameter([1.0], 1);
        SetGradient(p, QuadraticGradient);
        opt.Step([Named("w", p)]);
        var q = Tensor.Parameter([1.0, 2.0], 2);
        SetGradient(q, QuadraticGradient);
        var e = Assert.Throws<InvalidOperationException>(() => opt.Step([Named("w", q)]));
        Assert.Contains("'w'", e.Message);
    }

    /// <summary>Save after 7 steps, continue 6 more; a fresh optimizer loaded from the checkpoint reproduces them bit for bit.</summary>
    [Theory]
    [MemberData(nameof(AllOptimizers))]
    public void SaveLoadResumesBitIdentically(string name)
    {
        var opt = Create(name, 0.05);
        if (opt is ClippedAdam) opt = new ClippedAdam(0.05, learningRateDecay: 0.97);
        var p = Tensor.Parameter([5.0, -3.0, 7.0], 3);
        var ps = new[] { Named("p", p) };
        for (int t = 0; t < 7; t++) { SetGradient(p, TorchObjectiveGradient); opt.Step(ps); }
        using var checkpoint = new MemoryStream();
        opt.SaveState(checkpoint);
        var saved = p.ToArray();
        for (int t = 0; t < 6; t++) { SetGradient(p, TorchObjectiveGradient); opt.Step(ps); }
        var continued = p.ToArray();

        var resumed = Create(name, 0.9); // different settings of the rate are overwritten by the checkpoint
        if (resumed is ClippedAdam) resumed = new ClippedAdam(0.05, learningRateDecay: 0.97);
        checkpoint.Position = 0;
        resumed.LoadState(checkpoint);
        var q = Tensor.Parameter(saved, 3);
        var qs = new[] { Named("p", q) };
        for (int t = 0; t < 6; t++) { SetGradient(q, TorchObjectiveGradient); resumed.Step(qs); }
        Assert.Equal(continued, q.ToArray());
        Assert.Equal(opt.StepCount, resumed.StepCount);
        Assert.Equal(opt.LearningRate, resumed.LearningRate);
    }

    [Fact]
    public void LoadRejectsOtherOptimizerType()
    {
        using var s = new MemoryStream();
        new Adam().SaveState(s);
        s.Position = 0;
        Assert.Throws<FormatException>(() => new Sgd(0.1).LoadState(s));
    }

    [Fact]
    public void ScheduleDrivesLearningRate()
    {
        var opt = new Sgd(1.0) { Schedule = LearningRateSchedule.Exponential(0.5, 0.5) };
        var p = Tensor.Parameter([0.0], 1);
        var ps = new[] { Named("p", p) };
        double expected = 0;
        for (int t = 0; t < 4; t++)
        {
            p.Grad = Tensor.FromArray([1.0], 1);
            opt.Step(ps);
            expected -= 0.5 * Math.Pow(0.5, t);
            Assert.Equal(expected, p.Span[0], 1e-15);
        }
    }

    [Fact]
    public void SteadyStateStepsDoNotAllocate()
    {
        foreach (var name in new[] { "nesterov", "adam", "adamw", "adagrad", "rmsprop", "clippedadam", "advi" })
        {
            var opt = Create(name, 1e-3);
            var p = Tensor.Parameter(new double[1000], 1000);
            p.Grad = Tensor.Full(0.5, 1000);
            var ps = new[] { Named("p", p) };
            for (int t = 0; t < 3; t++) opt.Step(ps);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int t = 0; t < 100; t++) opt.Step(ps);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            // the only allocation is the array enumerator of the parameter list (a few dozen bytes per step)
            Assert.True(allocated < 100 * 64, $"{name}: {allocated} bytes over 100 steps");
        }
    }
}
