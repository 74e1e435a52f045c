using Vinfer.Autodiff;
using Vinfer.Tensors;

namespace Vinfer.Tests.Autodiff;

/// <summary>
/// The gradient-check harness itself: it must pass a correct vector-Jacobian product, and fail, naming the input and
/// element, on a deliberately wrong one, including a VJP that is right for the gradient of a sum but ignores the
/// incoming gradient (which only contraction with random weights exposes).
/// </summary>
public class GradientCheckTests
{
    /// <summary>What a hand-written op's backward pass may get wrong.</summary>
    private enum Fault { None, ScaledBy1Point01, IgnoresIncomingGradient, DropsSecondInput, WrongInOneElement }

    /// <summary>x ⊙ y with a hand-written backward pass carrying the given fault.</summary>
    private static Tensor Product(Tensor x, Tensor y, Fault fault)
    {
        Tensor z;
        using (GradMode.Disable()) z = x * y;
        return Autograd.ShouldRecord(x, y) ? Autograd.Record(z, new ProductBackward(x, y, fault)) : z;
    }

    private sealed class ProductBackward(Tensor x, Tensor y, Fault fault) : GradNode(x, y)
    {
        public override void Backward(Tensor output, Tensor gradOutput)
        {
            var g = fault == Fault.IgnoresIncomingGradient ? Tensor.Ones(gradOutput.ShapeArray) : gradOutput;
            Tensor dx, dy;
            using (GradMode.Disable()) { dx = (g * y).Clone(); dy = (g * x).Clone(); }
            if (fault == Fault.ScaledBy1Point01) using (GradMode.Disable()) dx = dx * 1.01;
            if (fault == Fault.WrongInOneElement) dy.Span[3] += 1e-3;
            if (x.RequiresGrad) Autograd.Accumulate(x, dx);
            if (y.RequiresGrad && fault != Fault.DropsSecondInput) Autograd.Accumulate(y, dy);
        }
    }

    private static Tensor[] Inputs() =>
    [
        Tensor.FromArray([0.5, -1.2, 2.0, 0.3, -0.7, 1.1], 2, 3),
        Tensor.FromArray([1.5, 0.4, -0.9, 2.2, 0.8, -1.3], 2, 3),
    ];

    [Fact]
    public void PassesACorrectVectorJacobianProduct()
    {
        var r = GradientCheck.Check(t => Product(t[0], t[1], Fault.None).Exp(), Inputs());
        Assert.True(r.Passed, r.ToString());
        Assert.True(r.MaxError < 1e-8, $"central differences at h = 1e-6 should agree to ~1e-9, got {r.MaxError:G3}");
    }

    [Fact]
    public void DetectsAOnePercentErrorAndNamesWhere()
    {
        var r = GradientCheck.Check(t => Product(t[0], t[1], Fault.ScaledBy1Point01), Inputs());
        Assert.False(r.Passed);
        Assert.Equal(0, r.InputIndex);
        // The worst element is where |w·y| is largest; there analytic = 1.01 × numeric.
        Assert.Equal(1.01, r.Analytic / r.Numeric, 6);
        Assert.Contains("gradient check failed at input 0", r.ToString());
    }

    [Fact]
    public void DetectsABackwardPassThatIgnoresTheIncomingGradient()
    {
        // For the gradient of a plain sum the incoming gradient is all ones, so this fault would go unseen;
        // the harness contracts the output with random weights, so it cannot.
        var sumOnly = Inputs().Select(t => Tensor.Parameter(t.Span, t.ShapeArray)).ToArray();
        Product(sumOnly[0], sumOnly[1], Fault.IgnoresIncomingGradient).Sum().Backward();
        Assert.Equal(Inputs()[1].ToArray(), sumOnly[0].Grad!.ToArray()); // looks right for Σ
        var r = GradientCheck.Check(t => Product(t[0], t[1], Fault.IgnoresIncomingGradient), Inputs());
        Assert.False(r.Passed, r.ToString());
    }

    [Fact]
    public void DetectsAMissingGradient()
    {
        var r = GradientCheck.Check(t => Product(t[0], t[1], Fault.DropsSecondInput), Inputs());
        Assert.False(r.Passed);
        Assert.Equal(1, r.InputIndex);
        Assert.Equal(0.0, r.Analytic);
    }

    [Fact]
    public void DetectsAnErrorInASingleElementBelowTheTolerancesOfLooserChecks()
    {
        // 1e-3 in one element of one input: far above the default tolerance 1e-6, and reported at that element.
        var r = GradientCheck.Check(t => Product(t[0], t[1], Fault.WrongInOneElement), Inputs());
        Assert.False(r.Passed);
        Assert.Equal(1, r.InputIndex);
        Assert.Equal(3, r.ElementIndex);
        Assert.Equal(1e-3, r.Analytic - r.Numeric, 6);
        Assert.True(GradientCheck.Check(t => Product(t[0], t[1], Fault.WrongInOneElement), Inputs(), tolerance: 1e-2).Passed);
    }

    [Fact]
    public void NonFiniteDerivativesFail()
    {
        // √x at 0: the analytic derivative is infinite and the central difference reads √(−h), NaN; a NaN error must fail, not pass.
        var r = GradientCheck.Check(t => t[0].Sqrt(), [Tensor.FromArray([1.0, 0.0])]);
        Assert.False(r.Passed);
        Assert.Equal(1, r.ElementIndex);
    }

    [Fact]
    public void AnOutputWhoseSizeChangesIsAnError()
    {
        int calls = 0;
        var e = Assert.Throws<InvalidOperationException>(() => GradientCheck.Check(t => ++calls == 1 ? t[0] : t[0].Sum(), [Tensor.FromArray([1.0, 2.0])]));
        Assert.Contains("output size changed", e.Message);
    }
}
